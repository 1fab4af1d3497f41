package ssi.bench.cache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import ssi.cache.coherence.BackingImage;
import ssi.cache.coherence.CacheCore;
import ssi.cache.coherence.CacheCore.Completion;
import ssi.cache.coherence.CacheCore.Step;
import ssi.cache.coherence.CoherenceMsg;
import ssi.cache.coherence.CoherenceMsg.Data;
import ssi.cache.coherence.CoherenceMsg.ToDirectory;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.DirectoryCore;
import ssi.cache.coherence.Mesi;
import ssi.cache.coherence.PageData;

/**
 * The real protocol cores of one object — a {@link DirectoryCore} and one {@link CacheCore} per
 * node — with a deterministic in-memory message pump: every message a core emits is queued (FIFO)
 * and delivered to its receiver until nothing is in flight, like a transport with no loss and no
 * reordering. Every delivered message is counted by type, and carries its hop depth: a local
 * operation's messages are hop 1, a message sent while handling a hop-k message is hop k+1, so an
 * operation's completion depth is the number of hops on its requester's path.
 *
 * <p>As the real transport does, the directory is told a forward completed ({@link
 * DirectoryCore#forwardDone}) when the holder's {@link Data} reached its requester.
 */
final class ProtocolPump {

  static final long OBJ = 1;
  static final int PAGE_SIZE = 4096;

  /** The backing store's pages, in memory; a page never written reads as zeros, serial 0. */
  static final class MemoryImage implements BackingImage {
    private static final PageData ZERO = new PageData(0, new byte[PAGE_SIZE]);
    private final Map<Long, PageData> pages = new HashMap<>();

    @Override
    public PageData read(long page) {
      return pages.getOrDefault(page, ZERO);
    }

    @Override
    public void write(long page, PageData data) {
      pages.put(page, data);
    }
  }

  /**
   * What one local operation cost.
   *
   * @param messages protocol messages delivered until quiescence
   * @param byType the same, per message type (in first-seen order)
   * @param pathHops the hop depth at which the operation completed (0 = locally)
   */
  record Cost(long messages, Map<String, Long> byType, int pathHops) {
  }

  private record Envelope(CoherenceMsg msg, int depth) {
  }

  private final DirectoryCore dir;
  private final Map<String, CacheCore> nodes = new LinkedHashMap<>();
  private final ArrayDeque<Envelope> queue = new ArrayDeque<>();
  private final Map<String, Long> byType = new TreeMap<>();
  private long delivered;
  private long nextOp = 1;

  /** {@code nodes} nodes named n0, n1, ...; {@code mei} = the directory's MEI mode. */
  ProtocolPump(int nodes, boolean mei) {
    this.dir = new DirectoryCore(OBJ, mei, new MemoryImage());
    for (int i = 0; i < nodes; i++) {
      this.nodes.put(node(i), new CacheCore(node(i), PAGE_SIZE));
    }
  }

  static String node(int i) {
    return "n" + i;
  }

  /** Messages delivered since this pump was made. */
  long delivered() {
    return delivered;
  }

  /** The same, per type. */
  Map<String, Long> byType() {
    return new TreeMap<>(byType);
  }

  Mesi state(int node, long page) {
    return nodes.get(node(node)).state(OBJ, page);
  }

  Cost read(int node, long page) {
    return run(node, id -> nodes.get(node(node)).read(id, OBJ, page));
  }

  Cost write(int node, long page, byte fill) {
    byte[] bytes = new byte[PAGE_SIZE];
    java.util.Arrays.fill(bytes, fill);
    return run(node, id -> nodes.get(node(node)).write(id, OBJ, page, bytes));
  }

  /** Runs one local operation on {@code node} and pumps until nothing is in flight. */
  private Cost run(int node, LongFunction<Step> op) {
    long id = nextOp++;
    long before = delivered;
    Map<String, Long> typesBefore = new TreeMap<>(byType);
    Step step = op.apply(id);
    int[] done = {-1};
    take(step, 0, id, done);
    while (!queue.isEmpty()) {
      Envelope e = queue.poll();
      delivered++;
      byType.merge(e.msg().getClass().getSimpleName(), 1L, Long::sum);
      if (e.msg() instanceof ToDirectory m) {
        for (ToNode out : dir.handle(m)) {
          queue.add(new Envelope(out, e.depth() + 1));
        }
      } else {
        ToNode m = (ToNode) e.msg();
        if (m instanceof Data d) {
          dir.forwardDone(d.page(), d.txn(), d.to());
        }
        take(nodes.get(m.to()).handle(m), e.depth(), id, done);
      }
    }
    if (done[0] < 0) {
      throw new IllegalStateException("operation " + id + " on " + node(node)
          + " did not complete");
    }
    Map<String, Long> types = new LinkedHashMap<>();
    byType.forEach((k, v) -> {
      long d = v - typesBefore.getOrDefault(k, 0L);
      if (d != 0) {
        types.put(k, d);
      }
    });
    return new Cost(delivered - before, types, done[0]);
  }

  private void take(Step step, int depth, long id, int[] done) {
    for (CoherenceMsg m : step.send()) {
      queue.add(new Envelope(m, depth + 1));
    }
    for (Completion c : step.completed()) {
      if (!c.ok()) {
        throw new IllegalStateException("operation " + c.opId() + " failed");
      }
      if (c.opId() == id) {
        done[0] = depth;
      }
    }
  }

  /** The directory's page records now. */
  List<DirectoryCore.PageView> records() {
    return new ArrayList<>(dir.view());
  }
}

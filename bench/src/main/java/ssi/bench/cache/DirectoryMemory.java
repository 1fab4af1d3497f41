package ssi.bench.cache;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import ssi.cache.coherence.CoherenceMsg.Flush;
import ssi.cache.coherence.CoherenceMsg.Fwd;
import ssi.cache.coherence.CoherenceMsg.Grant;
import ssi.cache.coherence.CoherenceMsg.Inval;
import ssi.cache.coherence.CoherenceMsg.InvalAck;
import ssi.cache.coherence.CoherenceMsg.Read;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.DirectoryCore;

/**
 * The directory's memory, measured on the real {@link DirectoryCore}: the retained heap of its
 * page records (used heap after full GCs, before and after creating them, divided by their
 * number), and how many records one object's directory keeps after many random single-page
 * grants.
 */
final class DirectoryMemory {

  private static final long OBJ = 1;
  private static final String[] NODES = {"n0", "n1", "n2"};

  private DirectoryMemory() {
  }

  /**
   * Retained bytes per page record: {@code records} pages granted E to one node (one Read each),
   * or with {@code sharers} > 0 restored with that many S sharers and no owner; the median of
   * {@code repeats} measurements, each on a fresh directory. The backing image is shared and
   * returns one constant page, so only the directory's own structures are counted.
   */
  static double bytesPerRecord(int records, int sharers, int repeats) {
    double[] perRecord = new double[repeats];
    ProtocolPump.MemoryImage image = new ProtocolPump.MemoryImage();
    for (int r = 0; r < repeats; r++) {
      long before = usedAfterGc();
      // Unbounded: this measures page records themselves (a bounded directory would fold them).
      DirectoryCore dir = new DirectoryCore(OBJ, false, image, Integer.MAX_VALUE);
      Set<String> shared = Set.of(Arrays.copyOf(NODES, sharers));
      for (int page = 0; page < records; page++) {
        if (sharers == 0) {
          dir.handle(new Read(OBJ, page, NODES[0], page + 1, -1));
        } else {
          dir.restore(page, null, shared, 1);
        }
      }
      long after = usedAfterGc();
      Reference.reachabilityFence(dir);
      perRecord[r] = (double) (after - before) / records;
    }
    Arrays.sort(perRecord);
    return perRecord[repeats / 2];
  }

  /**
   * Result of {@link #randomGrants}.
   *
   * @param grants read requests served
   * @param distinctPages distinct pages among them
   * @param records page records the directory keeps afterwards
   * @param forwards requests served by a forward (the page was held by another node)
   * @param bytesPerRecord used heap after the run, over the records
   */
  record RandomGrants(long grants, long distinctPages, long records, long forwards,
      double bytesPerRecord) {
  }

  /**
   * {@code grants} single-page reads by a random one of three nodes of a page drawn uniformly from
   * {@code [0, pageSpace)} (seeded; a draw of a page the node already owns would be a local hit
   * and is drawn again), each served to completion under the bound {@code maxRecords}: a grant
   * is reported delivered (as the transport does), a page held by another node is forwarded and
   * the holder's answer to the directory (a Flush keeping S, as a clean E holder sends) is
   * delivered at once, and a recall of a folded page is acknowledged at once.
   */
  static RandomGrants randomGrants(int grants, long pageSpace, long seed, int maxRecords) {
    long before = usedAfterGc();
    long start = System.nanoTime();
    DirectoryCore dir = new DirectoryCore(OBJ, false, new ProtocolPump.MemoryImage(), maxRecords);
    Random random = new Random(seed);
    java.util.BitSet seen = new java.util.BitSet();
    if (pageSpace > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("page space too large: " + pageSpace);
    }
    long forwards = 0;
    long recalls = 0;
    for (int i = 0; i < grants; ) {
      long page = (long) (random.nextDouble() * pageSpace);
      String node = NODES[random.nextInt(NODES.length)];
      if (node.equals(dir.owner(page))) {
        continue; // the node holds the page in E: a local hit, no request
      }
      i++;
      seen.set((int) page);
      java.util.ArrayDeque<ToNode> out = new java.util.ArrayDeque<>(
          dir.handle(new Read(OBJ, page, node, i, -1)));
      while (!out.isEmpty()) {
        ToNode m = out.poll();
        if (m instanceof Fwd f) {
          forwards++;
          dir.forwardDone(f.page(), f.txn(), f.requester());
          out.addAll(dir.handle(new Flush(OBJ, f.page(), f.to(), -1, f.epoch(), null, true)));
        } else if (m instanceof Grant g) {
          dir.grantDelivered(g.page(), g.txn(), g.to());
        } else if (m instanceof Inval v) {
          recalls++;
          out.addAll(dir.handle(new InvalAck(OBJ, v.page(), v.to(), v.txn(), null)));
        }
      }
    }
    System.out.println(String.format(java.util.Locale.ROOT, "  (%d grants done in %.1f s)", grants,
        (System.nanoTime() - start) / 1e9));
    long records = dir.records();
    System.out.println(String.format(java.util.Locale.ROOT, "  (%d recalls of folded pages; %d "
        + "page records and %d folded ranges)", recalls, dir.view().size(), dir.ranges().size()));
    long after = usedAfterGc();
    Reference.reachabilityFence(dir);
    return new RandomGrants(grants, seen.cardinality(), records, forwards,
        (double) (after - before) / records);
  }

  /** Used heap after full collections (G1 treats System.gc() as a full, stop-the-world GC). */
  static long usedAfterGc() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}

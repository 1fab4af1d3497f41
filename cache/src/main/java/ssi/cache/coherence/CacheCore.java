package ssi.cache.coherence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ssi.cache.coherence.CoherenceMsg.Data;
import ssi.cache.coherence.CoherenceMsg.Evict;
import ssi.cache.coherence.CoherenceMsg.EvictAck;
import ssi.cache.coherence.CoherenceMsg.Flush;
import ssi.cache.coherence.CoherenceMsg.FlushAck;
import ssi.cache.coherence.CoherenceMsg.Fwd;
import ssi.cache.coherence.CoherenceMsg.Grant;
import ssi.cache.coherence.CoherenceMsg.Inval;
import ssi.cache.coherence.CoherenceMsg.InvalAck;
import ssi.cache.coherence.CoherenceMsg.Read;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.CoherenceMsg.Write;

/**
 * One node's page cache: pure protocol logic (no actors, timers or I/O), driven by local
 * operations and by the directory's and other nodes' messages.
 *
 * <p>Design notes. A page line has a MESI state, its data with serial, and the epoch of its
 * grant. Reads in S/E/M and writes in E/M complete at once with no message (E to M is silent;
 * every write bumps the serial). A miss sends one request and parks the operation; later
 * operations on the same page queue behind it in order. A forward is deferred while the grant
 * it follows ({@code Fwd.holderTxn}) is pending and while a write-back of the page (a flush, every
 * one of which is acknowledged, or an eviction) is unacknowledged; an invalidation during a
 * request marks the coming S copy as usable once. An evicted page stays in an eviction buffer,
 * from which forwards are served, until the directory acknowledged the eviction and every
 * forward it counted has been served; operations on it wait until then. A page invalidated or evicted keeps its bytes and serial as
 * an invalid copy, so a later miss can be revalidated without data.
 */
public final class CacheCore {

  /** A local operation the cache finished: a read's data, a write or a sync flush done. */
  public record Completion(long opId, long obj, long page, PageData data, boolean ok) {
  }

  /** What a call produced: messages to send and local operations completed. */
  public record Step(List<CoherenceMsg> send, List<Completion> completed) {
    static Step of() {
      return new Step(new ArrayList<>(), new ArrayList<>());
    }
  }

  private enum Kind { READ, WRITE, SYNC }

  /** A local operation; a write puts {@code bytes} at {@code offset} within the page. */
  private record Op(long id, Kind kind, byte[] bytes, int offset) {
    Op(long id, Kind kind, byte[] bytes) {
      this(id, kind, bytes, 0);
    }
  }

  /** A page's line on this node. */
  private static final class Line {
    Mesi state = Mesi.I;
    PageData data;
    long epoch;
    /** The serial the page had when granted: a higher one means writes the store may lack. */
    long grantedSerial = -1;
    /** Whether the evicted copy had such writes. */
    boolean evictedUnsaved;
    long pendingTxn = -1;
    boolean pendingWrite;
    boolean invalidatedWhilePending;
    final ArrayDeque<Op> ops = new ArrayDeque<>();
    final List<Fwd> deferred = new ArrayList<>();
    // eviction buffer
    boolean evicting;
    Mesi evictedState;
    PageData evictedData;
    long evictAckForwards = -1;
    // sync flushes waiting for their FlushAck: txn -> op
    final Map<Long, Op> flushes = new HashMap<>();
    // every flush (sync or not) not yet acknowledged: txn -> the serial it wrote back
    final Map<Long, Long> unackedFlushes = new HashMap<>();
  }

  private record Key(long obj, long page) {
  }

  private final String node;
  private final int pageSize;
  private final Map<Key, Line> lines = new HashMap<>();
  /**
   * Forwards served per object, all pages together: the directory counts the forwards it sends
   * to this node per object too (a count that survives its folding of page records), and an
   * eviction's buffer is kept until this count reaches the one its acknowledgement carries.
   */
  private final Map<Long, Long> served = new HashMap<>();
  private long nextTxn = 1;

  public CacheCore(String node, int pageSize) {
    this.node = Objects.requireNonNull(node, "node");
    this.pageSize = pageSize;
  }

  public String node() {
    return node;
  }

  private Line line(long obj, long page) {
    return lines.computeIfAbsent(new Key(obj, page), k -> new Line());
  }

  /** The page's state here (for views and the checker). */
  public Mesi state(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l == null ? Mesi.I : l.state;
  }

  /** The page's data here when readable, else null. */
  public PageData data(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l == null || !l.state.readable() ? null : l.data;
  }

  /** The page's bytes here whatever its state, kept invalid copies included (for the checker). */
  PageData copyData(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l == null ? null : l.data;
  }

    /** Whether a forward for the page waits here (for the checker: the holder still serves it). */
  boolean forwardDeferred(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l != null && !l.deferred.isEmpty();
  }

  /** Whether any request or eviction of the page is in progress. */
  public boolean busy(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l != null && (l.pendingTxn >= 0 || l.evicting || !l.ops.isEmpty());
  }

  /** Local read; completes at once on a hit. */
  public Step read(long opId, long obj, long page) {
    return submit(obj, page, new Op(opId, Kind.READ, null));
  }

  /** Local write of a whole page; completes at once in E/M. */
  public Step write(long opId, long obj, long page, byte[] bytes) {
    if (bytes.length != pageSize) {
      throw new IllegalArgumentException("a page is " + pageSize + " bytes, got " + bytes.length);
    }
    return submit(obj, page, new Op(opId, Kind.WRITE, bytes.clone()));
  }

  /**
   * Local write of {@code bytes} at {@code offset} within the page; the rest of the page keeps
   * its current contents (merged when the page is held in E/M, so the write is atomic per page).
   */
  public Step write(long opId, long obj, long page, int offset, byte[] bytes) {
    if (offset < 0 || bytes.length == 0 || offset + bytes.length > pageSize) {
      throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + bytes.length)
          + ") do not fit a page of " + pageSize);
    }
    return submit(obj, page, new Op(opId, Kind.WRITE, bytes.clone(), offset));
  }

  private Step submit(long obj, long page, Op op) {
    Step step = Step.of();
    Line l = line(obj, page);
    l.ops.add(op);
    run(obj, page, l, step);
    return step;
  }

  /** Serves queued operations while the line allows, else issues the request they need. */
  private void run(long obj, long page, Line l, Step step) {
    while (!l.ops.isEmpty() && l.pendingTxn < 0 && !l.evicting) {
      Op op = l.ops.peek();
      if (op.kind() == Kind.READ && l.state.readable()) {
        l.ops.poll();
        step.completed().add(new Completion(op.id(), obj, page, l.data, true));
      } else if (op.kind() == Kind.WRITE && l.state.exclusive()) {
        l.ops.poll();
        long serial = l.data == null ? 1 : l.data.serial() + 1;
        byte[] page2 = op.bytes();
        if (page2.length != pageSize) { // a partial write, merged into the current page here
          page2 = l.data == null ? new byte[pageSize] : l.data.bytes().clone();
          System.arraycopy(op.bytes(), 0, page2, op.offset(), op.bytes().length);
        }
        l.data = new PageData(serial, page2);
        l.state = Mesi.M; // E -> M is silent
        step.completed().add(new Completion(op.id(), obj, page, l.data, true));
      } else {
        long txn = nextTxn++;
        long serial = l.data == null ? -1 : l.data.serial();
        l.pendingTxn = txn;
        l.pendingWrite = op.kind() == Kind.WRITE;
        l.invalidatedWhilePending = false;
        step.send().add(l.pendingWrite ? new Write(obj, page, node, txn, serial)
            : new Read(obj, page, node, txn, serial));
      }
    }
  }

  /**
   * Drops the page (memory pressure): E/S tell the directory, M writes back. Refused (false in
   * the step's absence of messages) while a request for the page is pending.
   */
  public Step evict(long obj, long page) {
    Step step = Step.of();
    Line l = lines.get(new Key(obj, page));
    if (l == null || l.state == Mesi.I || l.pendingTxn >= 0 || l.evicting) {
      return step;
    }
    l.evicting = true;
    l.evictedState = l.state;
    l.evictedData = l.data;
    l.evictAckForwards = -1;
    l.evictedUnsaved = unsaved(l);
    // An E page written since its grant may have its write-back (an async flush) still in
    // flight: the eviction carries the data too, so the directory never loses it.
    step.send().add(new Evict(obj, page, node, l.epoch, l.evictedUnsaved ? l.data : null,
        l.evictedState.exclusive()));
    l.state = Mesi.I;
    return step;
  }

  /**
   * Writes an M page back and keeps it in E. With {@code sync}, operation {@code opId}
   * completes when the directory confirms the store committed it (fsync); otherwise at once.
   */
  public Step flush(long opId, long obj, long page, boolean sync) {
    Step step = Step.of();
    Line l = lines.get(new Key(obj, page));
    if (l == null || l.state != Mesi.M || l.pendingTxn >= 0) {
      if (sync) {
        step.completed().add(new Completion(opId, obj, page, null, true));
      }
      return step;
    }
    // Every flush is acknowledged: until then the node serves no forward of the page, so data
    // it hands on has always reached the store or been refused (a crash of the next holder, which
    // fences that holder's epoch, can never make this write-back arrive too late).
    long txn = nextTxn++;
    if (sync) {
      l.flushes.put(txn, new Op(opId, Kind.SYNC, null));
    }
    l.unackedFlushes.put(txn, l.data.serial());
    step.send().add(new Flush(obj, page, node, txn, l.epoch, l.data, false));
    l.state = Mesi.E;
    return step;
  }

  /** Handles a message from the directory or another node. */
  public Step handle(ToNode msg) {
    Step step = Step.of();
    Line l = line(msg.obj(), msg.page());
    if (msg instanceof Grant g) {
      install(g.obj(), g.page(), l, g.txn(), g.state(), g.epoch(), g.data(), step);
    } else if (msg instanceof Data d) {
      install(d.obj(), d.page(), l, d.txn(), d.state(), d.epoch(), d.data(), step);
    } else if (msg instanceof Inval i) {
      onInval(l, i, step);
    } else if (msg instanceof Fwd f) {
      onFwd(l, f, step);
    } else if (msg instanceof EvictAck a) {
      onEvictAck(a.obj(), a.page(), l, a, step);
    } else if (msg instanceof FlushAck a) {
      onFlushAck(l, a, step);
    }
    return step;
  }

  private void install(long obj, long page, Line l, long txn, Mesi state, long epoch,
      PageData data, Step step) {
    if (txn != l.pendingTxn) {
      return; // an answer to a request we no longer wait for
    }
    l.pendingTxn = -1;
    if (data != null) {
      l.data = data;
    } else if (l.data == null) {
      l.data = new PageData(0, new byte[pageSize]);
    }
    l.state = state;
    l.epoch = epoch;
    l.grantedSerial = l.data.serial();
    boolean useOnce = l.invalidatedWhilePending && state == Mesi.S;
    l.invalidatedWhilePending = false;
    if (useOnce) {
      // The reads that waited are ordered before the invalidating write: serve them, then drop.
      while (!l.ops.isEmpty() && l.ops.peek().kind() == Kind.READ) {
        Op op = l.ops.poll();
        step.completed().add(new Completion(op.id(), obj, page, l.data, true));
      }
      l.state = Mesi.I;
    }
    run(obj, page, l, step);
    serveDeferred(l, step);
  }

  private static boolean writeBackPending(Line l) {
    return !l.unackedFlushes.isEmpty() || l.evicting && l.evictAckForwards < 0;
  }

  /** Serves the deferred forwards that may be served now (the others stay deferred). */
  private void serveDeferred(Line l, Step step) {
    if (l.deferred.isEmpty()) {
      return;
    }
    List<Fwd> deferred = new ArrayList<>(l.deferred);
    l.deferred.clear();
    for (Fwd f : deferred) {
      onFwd(l, f, step);
    }
  }

  private void onInval(Line l, Inval i, Step step) {
    if (l.pendingTxn >= 0) {
      l.invalidatedWhilePending = true;
    }
    // A recall takes the page whatever its state (the directory folded its record and no longer
    // knows who holds it) and gets this node's copy, which it stores if newer.
    PageData copy = !i.recall() ? null : l.state != Mesi.I ? l.data
        : l.evicting && l.evictedUnsaved ? l.evictedData : null; // its write-back may be late
    if (l.state == Mesi.S || i.recall()) {
      l.state = Mesi.I; // keep the bytes and serial for revalidation
    }
    step.send().add(new InvalAck(i.obj(), i.page(), node, i.txn(), copy));
  }

  private void onFwd(Line l, Fwd f, Step step) {
    // Deferred while the grant that made us the holder has not arrived, and while one of our
    // write-backs is unacknowledged. A forward naming another request of ours (ownership given
    // back to us) is served from our copy even though a request of ours is pending.
    if (l.pendingTxn >= 0 && f.holderTxn() == l.pendingTxn || writeBackPending(l)) {
      l.deferred.add(f);
      return;
    }
    served.merge(f.obj(), 1L, Long::sum); // every forward sent to us counts, live or evicted
    if (l.evicting) {
      serveFromEvicted(l, f, step);
      releaseOthers(f.obj(), step);
      return;
    }
    releaseOthers(f.obj(), step);
    // Not E/M: either ownership came back to us (we handed the page to a requester that died
    // before it had the data, so our invalid copy is the newest version, maybe unstored), or this
    // is that dead requester's own forward arriving after we moved on — its Data goes nowhere.
    boolean reclaimed = !l.state.exclusive();
    if (reclaimed && l.data == null) {
      throw new IllegalStateException(node + ": forward for page " + f.page() + " of object "
          + f.obj() + " but the page is " + l.state + " here");
    }
    boolean dirty = unsaved(l) || reclaimed;
    long epoch = Math.max(f.epoch(), l.epoch);
    if (!f.write() && !f.mei()) {
      step.send().add(new Data(f.obj(), f.page(), f.requester(), f.txn(), Mesi.S, epoch, l.data));
      step.send().add(new Flush(f.obj(), f.page(), node, -1, l.epoch, dirty ? l.data : null, true));
      l.state = reclaimed ? Mesi.I : Mesi.S;
    } else {
      Mesi given = f.write() || dirty ? Mesi.M : Mesi.E;
      step.send().add(new Data(f.obj(), f.page(), f.requester(), f.txn(), given, epoch, l.data));
      l.state = Mesi.I;
    }
    run(f.obj(), f.page(), l, step);
  }

  /**
   * Whether the page was written here since its grant: M, or E after a flush whose write-back
   * may still be in flight (no FIFO: a later message may overtake it).
   */
  private static boolean unsaved(Line l) {
    return l.state == Mesi.M || l.state.exclusive() && l.data.serial() != l.grantedSerial;
  }

  private void serveFromEvicted(Line l, Fwd f, Step step) {
    Mesi given;
    if (!f.write() && !f.mei()) {
      given = Mesi.S; // our Evict carried the write-back the directory waits for
    } else {
      given = f.write() || l.evictedUnsaved ? Mesi.M : Mesi.E;
    }
    step.send().add(new Data(f.obj(), f.page(), f.requester(), f.txn(), given,
        Math.max(f.epoch(), l.epoch), l.evictedData));
    releaseEvicted(f.obj(), f.page(), l, step);
  }

  private void onEvictAck(long obj, long page, Line l, EvictAck a, Step step) {
    if (!l.evicting) {
      return;
    }
    l.evictAckForwards = a.forwards();
    serveDeferred(l, step);
    releaseEvicted(obj, page, l, step);
  }

  /** Evicted pages of {@code obj} that waited for this node's count of served forwards. */
  private void releaseOthers(long obj, Step step) {
    List<Key> waiting = new ArrayList<>();
    lines.forEach((k, m) -> {
      if (k.obj() == obj && m.evicting && m.evictAckForwards >= 0) {
        waiting.add(k);
      }
    });
    for (Key k : waiting) {
      releaseEvicted(obj, k.page(), lines.get(k), step);
    }
  }

  private void releaseEvicted(long obj, long page, Line l, Step step) {
    if (l.evictAckForwards >= 0 && served.getOrDefault(obj, 0L) >= l.evictAckForwards) {
      l.evicting = false;
      l.evictAckForwards = -1;
      l.evictedState = null;
      l.evictedData = null;
      run(obj, page, l, step);
    }
  }

  private void onFlushAck(Line l, FlushAck a, Step step) {
    Long serial = l.unackedFlushes.remove(a.txn());
    if (serial != null && a.accepted() && l.state == Mesi.E && l.data.serial() == serial) {
      l.grantedSerial = serial; // stored: the page is clean again
    }
    Op op = l.flushes.remove(a.txn());
    if (op != null) {
      step.completed().add(new Completion(op.id(), a.obj(), a.page(), null, a.accepted()));
    }
    serveDeferred(l, step);
  }

  /** A deep copy (for the exhaustive checker, which forks states). */
  CacheCore copy() {
    CacheCore c = new CacheCore(node, pageSize);
    c.nextTxn = nextTxn;
    c.served.putAll(served);
    lines.forEach((k, l) -> {
      Line m = new Line();
      m.state = l.state;
      m.data = l.data; // PageData and Op bytes are never mutated once built
      m.epoch = l.epoch;
      m.grantedSerial = l.grantedSerial;
      m.evictedUnsaved = l.evictedUnsaved;
      m.pendingTxn = l.pendingTxn;
      m.pendingWrite = l.pendingWrite;
      m.invalidatedWhilePending = l.invalidatedWhilePending;
      m.ops.addAll(l.ops);
      m.deferred.addAll(l.deferred);
      m.evicting = l.evicting;
      m.evictedState = l.evictedState;
      m.evictedData = l.evictedData;
      m.evictAckForwards = l.evictAckForwards;
      m.flushes.putAll(l.flushes);
      m.unackedFlushes.putAll(l.unackedFlushes);
      c.lines.put(k, m);
    });
    return c;
  }

  /** A canonical rendering of every field that affects behaviour (the checker's state hash). */
  void fingerprint(StringBuilder sb) {
    sb.append(node).append(" t").append(nextTxn).append(new java.util.TreeMap<>(served));
    lines.keySet().stream()
        .sorted(java.util.Comparator.comparingLong(Key::obj).thenComparingLong(Key::page))
        .forEach(k -> {
          Line l = lines.get(k);
          sb.append(" [").append(k.obj()).append('/').append(k.page()).append(' ').append(l.state);
          data(sb, l.data);
          sb.append('e').append(l.epoch).append('g').append(l.grantedSerial)
              .append(l.evictedUnsaved ? 'u' : '-').append('p').append(l.pendingTxn)
              .append(l.pendingWrite ? 'w' : 'r').append(l.invalidatedWhilePending ? 'x' : '-');
          for (Op op : l.ops) {
            sb.append('o').append(op.id()).append(op.kind());
            if (op.bytes() != null) {
              sb.append(java.util.Arrays.toString(op.bytes()));
            }
          }
          for (Fwd f : l.deferred) {
            sb.append("d").append(f);
          }
          if (l.evicting) {
            sb.append("ev").append(l.evictedState);
            data(sb, l.evictedData);
          }
          sb.append('a').append(l.evictAckForwards);
          new java.util.TreeMap<>(l.flushes).forEach((t, op) -> sb.append('f').append(t)
              .append('=').append(op.id()));
          new java.util.TreeMap<>(l.unackedFlushes).forEach((t, v) -> sb.append('u').append(t)
              .append('=').append(v));
          sb.append(']');
        });
    sb.append('|');
  }

  private static void data(StringBuilder sb, PageData d) {
    if (d == null) {
      sb.append("-");
    } else {
      sb.append('#').append(d.serial()).append(java.util.Arrays.toString(d.bytes()));
    }
  }

  /** A line's internals, for diagnosing a stuck page. */
  public String debug(long obj, long page) {
    Line l = lines.get(new Key(obj, page));
    return l == null ? "no line" : "state=" + l.state + " pendingTxn=" + l.pendingTxn
        + " write=" + l.pendingWrite + " ops=" + l.ops.size() + " deferred=" + l.deferred
        + " evicting=" + l.evicting + " epoch=" + l.epoch
        + " serial=" + (l.data == null ? -1 : l.data.serial());
  }

  /**
   * The requests this node is still waiting for, as they were sent (same transactions), for a
   * transport that re-sends requests it may have lost; the directory drops copies it has.
   */
  public List<CoherenceMsg> pendingRequests() {
    List<CoherenceMsg> out = new ArrayList<>();
    lines.forEach((k, l) -> {
      if (l.pendingTxn >= 0) {
        long serial = l.data == null ? -1 : l.data.serial();
        out.add(l.pendingWrite ? new Write(k.obj(), k.page(), node, l.pendingTxn, serial)
            : new Read(k.obj(), k.page(), node, l.pendingTxn, serial));
      }
    });
    return out;
  }

  // ---- hooks for the transport (rebuild after a directory restart, store failures) ----

  /** What this node holds of one page, reported to a rebuilding directory. */
  public record Holding(long page, Mesi state, long serial, long epoch) {
  }

  /**
   * What this node holds of object {@code obj} (pages in S, E or M, and evicting pages whose
   * write-back the new directory will never see as their old state), for a directory that
   * restarted and lost its records.
   */
  public List<Holding> holdings(long obj) {
    List<Holding> out = new ArrayList<>();
    lines.forEach((k, l) -> {
      if (k.obj() == obj && l.state != Mesi.I && l.data != null) {
        out.add(new Holding(k.page(), l.state, l.data.serial(), l.epoch));
      }
    });
    return out;
  }

  /**
   * The directory of {@code obj} restarted: requests pending for its pages are sent again with the
   * same transaction numbers (the directory drops a copy it already has), forwards deferred for
   * the old directory are dropped, and evictions in progress are treated as acknowledged.
   */
  public Step reissue(long obj) {
    Step step = Step.of();
    served.remove(obj); // the new incarnation counts its forwards from zero
    lines.forEach((k, l) -> {
      if (k.obj() != obj) {
        return;
      }
      l.deferred.clear();
      l.unackedFlushes.clear(); // the old incarnation will not acknowledge them
      if (l.evicting) {
        l.evicting = false;
        l.evictAckForwards = -1;
        l.evictedState = null;
        l.evictedData = null;
      }
      if (l.pendingTxn >= 0) {
        // The same request again, same transaction: if the new directory already has it, it
        // drops the copy (it de-duplicates by node, page and transaction).
        long serial = l.data == null ? -1 : l.data.serial();
        step.send().add(l.pendingWrite ? new Write(obj, k.page(), node, l.pendingTxn, serial)
            : new Read(obj, k.page(), node, l.pendingTxn, serial));
      } else {
        run(obj, k.page(), l, step);
      }
    });
    return step;
  }

  /**
   * The request {@code txn} for a page cannot be served (the backing store is unreachable): the
   * operations waiting for it complete with {@code ok = false}; the page stays invalid here.
   */
  public Step fail(long obj, long page, long txn) {
    Step step = Step.of();
    Line l = lines.get(new Key(obj, page));
    if (l == null || l.pendingTxn != txn) {
      return step;
    }
    l.pendingTxn = -1;
    l.invalidatedWhilePending = false;
    l.deferred.clear();
    while (!l.ops.isEmpty()) {
      Op op = l.ops.poll();
      step.completed().add(new Completion(op.id(), obj, page, null, false));
    }
    return step;
  }
}

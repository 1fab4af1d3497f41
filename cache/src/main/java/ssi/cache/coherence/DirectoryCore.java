package ssi.cache.coherence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import ssi.cache.coherence.CoherenceMsg.Evict;
import ssi.cache.coherence.CoherenceMsg.Flush;
import ssi.cache.coherence.CoherenceMsg.FlushAck;
import ssi.cache.coherence.CoherenceMsg.Fwd;
import ssi.cache.coherence.CoherenceMsg.Grant;
import ssi.cache.coherence.CoherenceMsg.Inval;
import ssi.cache.coherence.CoherenceMsg.InvalAck;
import ssi.cache.coherence.CoherenceMsg.EvictAck;
import ssi.cache.coherence.CoherenceMsg.Read;
import ssi.cache.coherence.CoherenceMsg.ToDirectory;
import ssi.cache.coherence.CoherenceMsg.ToNode;
import ssi.cache.coherence.CoherenceMsg.Write;

/**
 * The coherence directory of one object: pure protocol logic, no actors, no timers, no I/O, so an
 * exhaustive checker can drive it through every interleaving.
 *
 * <p>Design notes. Per page the directory knows the E/M owner (at most one), the S sharers and an
 * epoch. "The holder decides disposition, else the BS decides": with an owner, a request is
 * forwarded to it and the directory records the outcome at once (read: owner and requester share;
 * write or MEI: the requester owns); without one, the directory answers from the backing image,
 * after invalidating the sharers for a write. Revalidation: a requester's stale copy whose serial
 * equals the stored one is granted without data. Fencing: an epoch names a chain of ownership.
 * It advances when a chain starts from the store (an E/M grant from the image, a failed forward
 * answered from the image) and when a removed node was the chain's head (owner, awaited flusher,
 * or holder of an unserved forward); a write-back or flush carrying another epoch is rejected, so
 * a partitioned or late node never overwrites newer data. Within a chain a forward passes
 * ownership without a new epoch, and serials order the chain's write-backs (an older serial is
 * never stored), so the old holder's write-backs sent before it served the forward stay valid.
 *
 * <p>Races and their resolution:
 * <ul>
 *   <li>A read forwarded to an M holder leaves the store stale until the holder's write-back
 *       arrives, so the holder always answers a forwarded read with a {@link Flush} (without data
 *       when it was only E) and the page's further requests wait for it.
 *   <li>Requests for a page whose write waits for invalidation acks queue in FIFO order (a writer
 *       behind readers is not starved, nor the reverse).
 *   <li>A forward reaching a node that is evicting: the node keeps evicted data until the
 *       {@link EvictAck} and until it has served as many forwards as the ack says were sent, so
 *       the forward is served from that buffer. The eviction's write-back is stored only if its
 *       serial is not older than the stored one (the requester may have written back newer).
 *   <li>A flush overtaken by a later message of the same node (found by the checker): an E page
 *       written since its grant still counts as unsaved, so its eviction and its flush after a
 *       forwarded read carry the data, and it is handed on as M — the directory never records a
 *       page clean while the only write-back of its data is still in flight.
 *   <li>A late invalidation ack of a write abandoned when its requester died (found by the
 *       checker): invalidations carry an id unique in this directory, not the writer's txn, and
 *       only an ack of the current one removes a sharer.
 *   <li>Two upgrades at once: the first is served by invalidating the other, which then is no
 *       longer a sharer, so its own upgrade is answered with data (forwarded from the new owner).
 *   <li>An invalidation overtaking a grant: the node acks and uses the granted S copy once for
 *       the reads that waited for it (they are ordered before the invalidating write), then drops.
 *   <li>A forward overtaking the holder's own grant: the holder defers it until its grant arrives.
 *   <li>A holder lost before serving a forward: the transport reports the forward failed
 *       ({@link #forwardFailed}, after {@link #nodeRemoved}) and the requester is answered from
 *       the backing image: the last stored version, never a hang. It is answered even if it was
 *       invalidated or passed ownership on meanwhile (found by the checker: it waited forever).
 *   <li>A requester lost before its exclusive forward's data came (found by the checker: the
 *       directory forgot the live holder, and a second E copy was granted): ownership goes back
 *       to that holder, and the forwards the dead node received after it asked (it could serve
 *       them only from the data that never came) are sent to that holder instead; a holder that
 *       already sent its data to the dead node serves from its invalid copy, the newest version.
 *       Forwards sent with the holder's own grant still in flight name that request
 *       ({@code Fwd.holderTxn}), so the holder defers only those; forwards the dead node had
 *       before it asked, and a request of the holder's own that the dead node was to serve
 *       before it asked, are answered from the store ({@link #forwardFailed}). A holder that
 *       evicted since is not given ownership back: its eviction put the data in the store.
 *   <li>A crash fences only the head of the page's current chain (owner, awaited flusher,
 *       holder of an unserved exclusive forward): a dead node that only had a read to serve
 *       leaves the live owner's epoch, and so its write-backs, alone.
 *   <li>A write-back overtaken by a crash of the next holder (found by the checker: the new
 *       epoch refused the live node's write-back, and its last write was lost): a node serves
 *       no forward while one of its write-backs (flush or eviction) is unacknowledged, so data
 *       it hands on has reached the store or been refused before the next holder can die.
 *   <li>A holder that dies after its Data of a forwarded read reached the reader but before its
 *       write-back reached the store: the directory recalls the sharers' copies (an
 *       invalidation whose ack carries the copy) and stores the newest before anyone is served
 *       from the store, so no reader sees that write and then an older version.
 * </ul>
 *
 * <p>The bound on records ({@code ssi.cache.max-records-per-object}): past it, idle page records
 * (nothing waiting, no forward or owner's grant in flight, ownership not given back) are folded
 * into ranges of {@code 2^shift} pages that keep only the nodes that may hold some page of the
 * range; {@code shift} grows until the records fit in half the bound. A request for a folded page
 * gives it a record again, above every folded epoch, once every node that may hold it has acked a
 * recall (an invalidation of any state whose ack carries the node's copy, the newest stored):
 * over-invalidation, never under-invalidation. Write-backs of a folded page are ordered by serial
 * and accepted only from nodes that may hold it (a removed node is dropped from every range).
 * Eviction acknowledgements count forwards per node for the whole object, so folding forgets no
 * count a node still waits for.
 */
public final class DirectoryCore {

  /** One page's directory record. */
  private static final class PageDir {
    String owner;
    /** The owner's request that made it the owner and whose answer may be in flight, or -1. */
    long ownerTxn = -1;
    /** Ownership was given back to the owner, which holds the newest copy as invalid. */
    boolean reclaimed;
    long epoch;
    PendingWrite busy;
    /** After a forwarded read: the old holder whose flush (write-back or "clean") must come first. */
    String awaitingFlush;
    // Allocated when first needed: most records are one owner and nothing else (the memory goal).
    private Set<String> sharers;
    private ArrayDeque<ToDirectory> waiting;

    Set<String> sharers() {
      return sharers == null ? Set.of() : sharers;
    }

    void share(String n) {
      if (sharers == null) {
        sharers = new TreeSet<>();
      }
      sharers.add(n);
    }

    void unshare(String n) {
      if (sharers != null && sharers.remove(n) && sharers.isEmpty()) {
        sharers = null;
      }
    }

    void clearSharers() {
      sharers = null;
    }

    ArrayDeque<ToDirectory> waiting() {
      if (waiting == null) {
        waiting = new ArrayDeque<>(2);
      }
      return waiting;
    }

    boolean nothingWaits() {
      return waiting == null || waiting.isEmpty();
    }

    int waitingCount() {
      return waiting == null ? 0 : waiting.size();
    }

  }

  /** A write waiting for invalidation acks; {@code request} null = a recall (see nodeRemoved). */
  private record PendingWrite(Write request, Set<String> acks, boolean requesterHadCopy,
      long invalId) {
  }

  /** A forward not yet known delivered (the transport calls back). */
  private record InFlight(long page, long txn, String holder, String requester, boolean exclusive,
      Mesi state, boolean write, long holderTxn, long seq) {
  }

  /** The state of one page as {@code /ssi/objects/{id}/coherence} shows it. */
  public record PageView(long page, String owner, List<String> sharers, long epoch, long serial,
      boolean busy, int waiting) {
  }

  private final long obj;
  private final boolean mei;
  private final BackingImage image;
  private final Map<Long, PageDir> pages = new TreeMap<>();
  /** Epoch of a page's new record: above any epoch an earlier incarnation may have issued. */
  private long epochFloor;
  private final Map<String, InFlight> inFlight = new HashMap<>();
  /** Forwards nodeRemoved re-sent to a live holder: the transport's forwardFailed is moot. */
  private final Set<String> redirected = new TreeSet<>();
  /** Forwards whose holder evicted the page since (its data reached the store). */
  private final Set<String> holderEvicted = new TreeSet<>();
  private long staleRejected;
  private long nextInvalId = 1;
  /**
   * Forwards ever sent to each node for this object (all pages together, so the count survives
   * the folding of page records): an eviction's acknowledgement carries it, and the node keeps the
   * evicted data until it has served as many forwards of this object.
   */
  private final Map<String, Long> forwardsSent = new HashMap<>();
  /** Orders forwards: which of two forwards the directory sent first. */
  private long nextSeq = 1;

  /** TEST ONLY (seeded bug for the protocol checker): a write skips invalidating one sharer. */
  boolean testOnlySkipOneInvalidation;
  /** TEST ONLY (seeded bug for the protocol checker): write-backs skip the epoch check. */
  boolean testOnlyAcceptStaleEpoch;
  /** TEST ONLY (seeded bug): no recall of the sharers when the awaited flusher dies. */
  boolean testOnlyNoRecall;

  /** A directory for object {@code obj}; {@code mei} = every read takes exclusive ownership. */
  public DirectoryCore(long obj, boolean mei, BackingImage image) {
    this(obj, mei, image, Integer.MAX_VALUE);
  }

  /**
   * A directory for object {@code obj} that keeps at most {@code maxRecords} records: page records
   * and folded ranges together ({@code ssi.cache.max-records-per-object}).
   */
  public DirectoryCore(long obj, boolean mei, BackingImage image, int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("max-records-per-object must be at least 1");
    }
    this.obj = obj;
    this.mei = mei;
    this.image = image;
    this.maxRecords = maxRecords;
  }

  /** Handles one message to the directory; returns the messages to send. */
  public List<ToNode> handle(ToDirectory msg) {
    List<ToNode> out = new ArrayList<>();
    PageDir d = pages.get(msg.page());
    if (d == null) {
      Folded f = folded.isEmpty() ? null : folded.get(msg.page() >>> shift);
      if (f != null && !(msg instanceof Read || msg instanceof Write)) {
        onFolded(f, msg, out);
        return out;
      }
      d = f != null ? unfold(msg.page(), f, msg.node(), out) : fresh();
      pages.put(msg.page(), d);
    }
    if (msg instanceof Read || msg instanceof Write) {
      request(d, msg, out);
    } else if (msg instanceof InvalAck a) {
      onInvalAck(d, a, out);
    } else if (msg instanceof Evict e) {
      onEvict(d, e, out);
    } else if (msg instanceof Flush f) {
      onFlush(d, f, out);
    }
    bound();
    return out;
  }

  // ---- the bound on records: folding idle page records into ranges ----

  /**
   * Idle page records folded into one range of {@code 2^shift} pages: only who may hold some page
   * of it, in any state. A request for one of its pages takes that page out again by recalling it
   * from every one of them (over-invalidation, never under-invalidation).
   */
  private static final class Folded {
    final Set<String> mayHold = new TreeSet<>();
  }

  /** The bound on page records plus folded ranges. */
  private final int maxRecords;
  /** Folded ranges by {@code page >>> shift}. */
  private final TreeMap<Long, Folded> folded = new TreeMap<>();
  private int shift;

  /** TEST ONLY (seeded bug): folding forgets a page's owner (under-invalidation). */
  boolean testOnlyFoldForgetsOwner;

  /** Folds idle page records into ranges while the records exceed the bound. */
  private void bound() {
    if (pages.size() + folded.size() <= maxRecords) {
      return;
    }
    Set<Long> active = new TreeSet<>();
    inFlight.values().forEach(f -> active.add(f.page()));
    int target = Math.max(1, maxRecords / 2);
    Iterator<Map.Entry<Long, PageDir>> it = pages.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, PageDir> e = it.next();
      PageDir d = e.getValue();
      if (!idle(d) || !d.nothingWaits() || active.contains(e.getKey()) || d.ownerTxn >= 0
          || d.reclaimed) {
        continue; // a record something is still in progress on (a grant in flight) stays exact
      }
      Folded f = folded.computeIfAbsent(e.getKey() >>> shift, b -> new Folded());
      if (d.owner != null && !testOnlyFoldForgetsOwner) {
        f.mayHold.add(d.owner);
      }
      f.mayHold.addAll(d.sharers());
      // Fencing survives the fold: every record made later starts above this one's epoch, so a
      // write-back of this page's chain arriving after the page is taken out again is refused.
      epochFloor = Math.max(epochFloor, d.epoch + 1);
      it.remove();
    }
    while (pages.size() + folded.size() > target && folded.size() > 1 && shift < 63) {
      shift++;
      TreeMap<Long, Folded> wider = new TreeMap<>();
      folded.forEach((b, f) -> wider.merge(b >>> 1, f, (x, y) -> {
        x.mayHold.addAll(y.mayHold);
        return x;
      }));
      folded.clear();
      folded.putAll(wider);
    }
  }

  /**
   * A request for a page of a folded range: the page gets a record of its own again (a new epoch,
   * above every folded one), after every node that may hold it, but the requester, has dropped it
   * (a recall: its ack carries the node's copy, the newest of which is stored).
   */
  private PageDir unfold(long page, Folded f, String requester, List<ToNode> out) {
    PageDir d = fresh();
    Set<String> recall = new TreeSet<>(f.mayHold);
    recall.remove(requester);
    if (!recall.isEmpty()) {
      long id = nextInvalId++;
      d.busy = new PendingWrite(null, recall, false, id);
      for (String n : recall) {
        out.add(new Inval(obj, page, n, id, true));
      }
    }
    return d;
  }

  /**
   * A write-back or ack for a page of a folded range: no request was served for it since it was
   * folded, so its write-backs come from the chain that held it then, ordered by serial; a node
   * removed since is no longer among those that may hold it, so its late write-backs are refused.
   */
  private void onFolded(Folded f, ToDirectory msg, List<ToNode> out) {
    long page = msg.page();
    boolean holder = f.mayHold.contains(msg.node());
    if (msg instanceof Evict e) {
      if (holder && e.dirty() != null && e.dirty().serial() > image.read(page).serial()) {
        image.write(page, e.dirty());
      }
      out.add(new EvictAck(obj, page, e.node(), forwardsSent.getOrDefault(e.node(), 0L)));
    } else if (msg instanceof Flush fl) {
      if (holder && fl.data() != null && fl.data().serial() > image.read(page).serial()) {
        image.write(page, fl.data());
      }
      if (fl.txn() >= 0) {
        out.add(new FlushAck(obj, page, fl.node(), fl.txn(), holder));
      }
      if (!holder) {
        staleRejected++;
      }
    }
    // an InvalAck of a folded page answers an invalidation that is over: nothing to do
  }

  /** Whether {@code page} has a record of its own (the directory may read its image any time). */
  public boolean hasRecord(long page) {
    return pages.containsKey(page);
  }

  /** Page records plus folded ranges (what the bound limits). */
  public int records() {
    return pages.size() + folded.size();
  }

  /** A folded range as {@code /ssi/objects/{id}/coherence} shows it: pages [from, to). */
  public record RangeView(long from, long to, List<String> mayHold) {
  }

  /** The folded ranges. */
  public List<RangeView> ranges() {
    List<RangeView> out = new ArrayList<>();
    folded.forEach((b, f) -> out.add(new RangeView(b << shift, (b + 1) << shift,
        List.copyOf(f.mayHold))));
    return out;
  }

  /** Whether {@code page} has no record of its own but is in a folded range (for the checker). */
  boolean isFolded(long page) {
    return !pages.containsKey(page) && folded.containsKey(page >>> shift);
  }

  /**
   * Whether {@code node} may hold {@code page} without a record naming it: the page is folded, or
   * being recalled from it (for the checker).
   */
  boolean mayHoldFolded(long page, String node) {
    PageDir d = pages.get(page);
    if (d != null) { // taken out of a range: recalled until it acks
      return d.busy != null && d.busy.request() == null && d.busy.acks().contains(node);
    }
    Folded f = folded.get(page >>> shift);
    return f != null && f.mayHold.contains(node);
  }

  private void request(PageDir d, ToDirectory r, List<ToNode> out) {
    d.waiting().add(r);
    drain(d, out);
  }

  private static boolean idle(PageDir d) {
    return d.busy == null && d.awaitingFlush == null;
  }

  private void serve(PageDir d, ToDirectory msg, List<ToNode> out) {
    long page = msg.page();
    String n = msg.node();
    boolean write = msg instanceof Write;
    long txn = msg instanceof Read r ? r.txn() : ((Write) msg).txn();
    long serial = msg instanceof Read r ? r.serial() : ((Write) msg).serial();

    if (d.owner != null && !d.owner.equals(n)) {
      String holder = d.owner;
      boolean exclusive = write || mei;
      countForward(holder);
      long holderTxn = d.ownerTxn;
      if (exclusive) {
        // No new epoch: ownership moves along the chain, whose serials order its write-backs
        // (the holder's own write-backs sent before it serves this forward are still valid).
        d.owner = n;
        d.reclaimed = false;
        d.ownerTxn = txn;
        d.clearSharers();
      } else {
        d.owner = null;
        d.reclaimed = false;
        d.share(holder);
        d.share(n);
        d.awaitingFlush = holder; // its copy may be newer than the store: wait for its flush
      }
      Mesi intended = exclusive ? (write ? Mesi.M : Mesi.E) : Mesi.S;
      inFlight.put(key(page, txn, n),
          new InFlight(page, txn, holder, n, exclusive, intended, write, holderTxn, nextSeq++));
      out.add(new Fwd(obj, page, holder, txn, n, write, mei, d.epoch, holderTxn));
      return;
    }
    if (d.owner != null) {
      // The requester is already the owner: ownership came back to it when the requester it
      // had handed the page to died first (see nodeRemoved); its own copy, kept as invalid, is
      // the newest version (possibly newer than the store), so the grant carries no data and M.
      d.ownerTxn = txn;
      out.add(new Grant(obj, page, n, txn, Mesi.M, d.epoch, null));
      return;
    }
    Set<String> others = new TreeSet<>(d.sharers());
    others.remove(n);
    if (write && testOnlySkipOneInvalidation && !others.isEmpty()) {
      others.remove(others.iterator().next()); // TEST ONLY seeded bug
    }
    if (!write) {
      if (others.isEmpty() || mei) {
        d.clearSharers();
        d.owner = n;
        d.reclaimed = false;
        d.ownerTxn = txn;
        d.epoch++;
        out.add(grant(page, n, txn, Mesi.E, d.epoch, serial));
      } else {
        d.share(n);
        out.add(grant(page, n, txn, Mesi.S, d.epoch, serial));
      }
      return;
    }
    boolean hadCopy = d.sharers().contains(n);
    if (others.isEmpty()) {
      grantWrite(d, (Write) msg, hadCopy, out);
      return;
    }
    // Invalidations carry an id unique in this directory (not the writer's txn, which another
    // node may also use): a late ack of an abandoned write never counts for another.
    long id = nextInvalId++;
    d.busy = new PendingWrite((Write) msg, others, hadCopy, id);
    for (String s : others) {
      out.add(new Inval(obj, page, s, id, false));
    }
  }

  private void grantWrite(PageDir d, Write w, boolean hadCopy, List<ToNode> out) {
    d.clearSharers();
    d.owner = w.node();
    d.reclaimed = false;
    d.ownerTxn = w.txn();
    d.epoch++;
    out.add(grant(w.page(), w.node(), w.txn(), Mesi.M, d.epoch, hadCopy ? w.serial() : -1));
  }

  private Grant grant(long page, String to, long txn, Mesi state, long epoch, long serial) {
    PageData stored = image.read(page);
    PageData data = serial >= 0 && serial == stored.serial() ? null : stored;
    return new Grant(obj, page, to, txn, state, epoch, data);
  }

  private void onInvalAck(PageDir d, InvalAck a, List<ToNode> out) {
    if (d.busy == null || d.busy.invalId() != a.txn() || !d.busy.acks().remove(a.node())) {
      // A late ack of a write abandoned when its requester died: the node may hold the page
      // again by now, so it stays recorded (at worst it is invalidated once more).
      return;
    }
    d.unshare(a.node());
    if (a.data() != null && d.busy.request() == null
        && a.data().serial() > image.read(a.page()).serial()) {
      image.write(a.page(), a.data()); // recalled: the dead holder's last write, kept
    }
    if (d.busy.acks().isEmpty()) {
      finishPending(d, out);
      drain(d, out);
    }
  }

  /** Every ack of the page's pending write (or recall) is in. */
  private void finishPending(PageDir d, List<ToNode> out) {
    PendingWrite done = d.busy;
    d.busy = null;
    if (done.request() != null) {
      grantWrite(d, done.request(),
          done.requesterHadCopy() && d.sharers().contains(done.request().node()), out);
    }
  }

  private void onEvict(PageDir d, Evict e, List<ToNode> out) {
    if (e.dirty() != null && d.busy != null && d.busy.request() == null
        && d.busy.acks().contains(e.node())) {
      // Being recalled (its record was folded, or a holder died): its eviction's data counts as
      // its recalled copy, stored if newer (its epoch is older than the unfolded record's).
      if (e.dirty().serial() > image.read(e.page()).serial()) {
        image.write(e.page(), e.dirty());
      }
    } else if (e.dirty() != null) {
      writeBack(d, e.page(), e.epoch(), e.dirty());
    }
    // Forwards this node served before evicting: their data is in the store now, so if their
    // requester dies, ownership does not go back to this node (see reclaimFromDeadRequester).
    inFlight.forEach((k, f) -> {
      if (f.page() == e.page() && f.holder().equals(e.node())) {
        holderEvicted.add(k);
      }
    });
    if (e.node().equals(d.owner)) {
      d.owner = null;
      d.reclaimed = false;
    }
    d.unshare(e.node());
    if (e.exclusive() && e.node().equals(d.awaitingFlush)) {
      // Evicted before serving the forwarded read: the eviction carried its write-back. (Evicted
      // from S, it served the read already and its flush is a message of its own.)
      d.awaitingFlush = null;
    }
    out.add(new EvictAck(obj, e.page(), e.node(), forwardsSent.getOrDefault(e.node(), 0L)));
    drain(d, out);
  }

  private void onFlush(PageDir d, Flush f, List<ToNode> out) {
    boolean accepted = f.data() == null ? f.epoch() == d.epoch
        : writeBack(d, f.page(), f.epoch(), f.data());
    if (accepted && f.keepShared() && f.node().equals(d.owner)) {
      d.owner = null;
      d.reclaimed = false;
      d.share(f.node());
    }
    if (f.keepShared() && f.node().equals(d.awaitingFlush)) {
      d.awaitingFlush = null;
    }
    if (f.txn() >= 0) {
      out.add(new FlushAck(obj, f.page(), f.node(), f.txn(), accepted));
    }
    drain(d, out);
  }

  /** Fencing: only the current epoch may write; returns whether the data was stored. */
  private boolean writeBack(PageDir d, long page, long epoch, PageData data) {
    if (epoch != d.epoch && !testOnlyAcceptStaleEpoch) {
      staleRejected++;
      return false;
    }
    if (data.serial() >= image.read(page).serial()) {
      image.write(page, data);
    }
    return true;
  }

  private void drain(PageDir d, List<ToNode> out) {
    while (idle(d) && !d.nothingWaits()) {
      serve(d, d.waiting().poll(), out);
    }
  }

  /**
   * The transport delivered grant {@code txn} for {@code page} to {@code node}: if that made it
   * the owner, no answer to it is in flight any more (forwards need not wait for it, and the
   * record may be folded: a recall cannot overtake that grant).
   */
  public void grantDelivered(long page, long txn, String node) {
    PageDir d = pages.get(page);
    if (d != null && node.equals(d.owner) && d.ownerTxn == txn) {
      d.ownerTxn = -1;
    }
  }

  /** The transport delivered forward {@code txn} for {@code page} to {@code requester}. */
  public void forwardDone(long page, long txn, String requester) {
    grantDelivered(page, txn, requester);
    inFlight.remove(key(page, txn, requester));
    redirected.remove(key(page, txn, requester));
    holderEvicted.remove(key(page, txn, requester));
  }

  /**
   * The holder of forward {@code txn} is gone before the requester had its data: the requester
   * is answered from the backing image (the holder's unwritten changes died with it).
   */
  public List<ToNode> forwardFailed(long page, long txn, String requester) {
    if (redirected.remove(key(page, txn, requester))) {
      return List.of(); // nodeRemoved already sent it to the live previous holder
    }
    InFlight f = inFlight.remove(key(page, txn, requester));
    holderEvicted.remove(key(page, txn, requester));
    if (f == null) {
      return List.of();
    }
    PageDir d = pages.get(page);
    // Always answered, even when the requester was invalidated or passed ownership on meanwhile:
    // it still waits for this answer (an invalidated one uses an S copy once, and one that
    // passed ownership on serves its deferred forwards from it). An exclusive grant starts a new
    // chain from the store, so it takes a new epoch: the dead holder's late write-backs (its
    // newer, lost data) are rejected.
    if (f.exclusive() || f.holder().equals(d.awaitingFlush)) {
      d.epoch++;
    }
    return List.of(grant(page, requester, txn, f.state(), d.epoch, -1));
  }

  /**
   * {@code node} left the cluster: its grants are revoked (an owned page's epoch advances, so a
   * late write-back of it is rejected), writes waiting for its ack go on, and its queued
   * requests are dropped. Forwards it had to serve must be reported with {@link #forwardFailed}.
   */
  public List<ToNode> nodeRemoved(String node) {
    List<ToNode> out = new ArrayList<>();
    reclaimFromDeadRequester(node, out);
    forwardsSent.remove(node);
    folded.values().forEach(f -> f.mayHold.remove(node));
    for (Map.Entry<Long, PageDir> pe : pages.entrySet()) {
      PageDir d = pe.getValue();
      // Only the head of the page's current chain is fenced: a dead node that merely had to
      // serve a read (its data already flushed, or a newer chain started from the store since)
      // leaves the live owner's epoch alone, else the owner's own write-backs would be refused.
      boolean head = node.equals(d.owner) || node.equals(d.awaitingFlush)
          || inFlight.values().stream().anyMatch(f -> f.page() == pe.getKey()
              && f.holder().equals(node) && f.exclusive());
      if (head) {
        d.epoch++; // its write-backs still in flight carry data that is now lost: fence them
      }
      if (node.equals(d.owner)) {
        d.owner = null;
        d.reclaimed = false;
      }
      d.unshare(node);
      boolean recall = node.equals(d.awaitingFlush);
      if (recall) {
        d.awaitingFlush = null; // its flush will never come (or is fenced by the new epoch)
      }
      if (d.waiting != null) {
        d.waiting.removeIf(m -> m.node().equals(node));
      }
      if (d.busy != null && d.busy.request() != null && d.busy.request().node().equals(node)) {
        d.busy = null;
      } else if (d.busy != null && d.busy.acks().remove(node) && d.busy.acks().isEmpty()) {
        finishPending(d, out);
      }
      if (recall && !d.sharers().isEmpty() && !testOnlyNoRecall) {
        // It died after sending its data to the reader(s) of the forwarded read but before its
        // write-back reached the store: recall the sharers' copies (the newest one is stored)
        // before anyone is served from the store, so no reader sees that write and then an older
        // version. No sharer had data yet: they are answered from the store (forwardFailed).
        long id = nextInvalId++;
        d.busy = new PendingWrite(null, new TreeSet<>(d.sharers()), false, id);
        for (String s : d.sharers()) {
          out.add(new Inval(obj, pe.getKey(), s, id, true));
        }
      }
      drain(d, out);
    }
    Iterator<Map.Entry<String, InFlight>> it = inFlight.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, InFlight> f = it.next();
      if (f.getValue().requester().equals(node)) {
        holderEvicted.remove(f.getKey());
        it.remove();
      }
    }
    return out;
  }

  /**
   * Forwards whose requester {@code dead} died before its data came: their live holder still
   * has (or, having sent it to the dead node, still keeps as an invalid copy) the newest version
   * of the page. Ownership goes back to that holder, and the forwards the dead node itself had
   * to serve are sent to that holder instead.
   */
  private void reclaimFromDeadRequester(String dead, List<ToNode> out) {
    for (InFlight g : List.copyOf(inFlight.values())) {
      if (!g.requester().equals(dead) || !g.exclusive() || g.holder().equals(dead)) {
        continue;
      }
      PageDir d = pages.get(g.page());
      String holder = g.holder();
      inFlight.remove(key(g.page(), g.txn(), dead));
      if (holderEvicted.remove(key(g.page(), g.txn(), dead))) {
        // The holder evicted after serving: the store has its data, nothing to give back. The
        // dead node's own forwards are answered from the store (forwardFailed).
        continue;
      }
      List<InFlight> onward = inFlight.values().stream()
          .filter(f -> f.page() == g.page() && f.holder().equals(dead))
          .sorted(java.util.Comparator.comparingLong(InFlight::seq)).toList();
      // A request of the holder's own that waits on the dead node: if the directory sent it
      // before the dead node's (g), the holder never had the data (g is deferred at the holder
      // until its own grant): that request is answered from the store (forwardFailed). If after,
      // the holder had served g, so its invalid copy is the newest: it is granted back, no data.
      InFlight own = onward.stream().filter(f -> f.requester().equals(holder)).findFirst()
          .orElse(null);
      boolean holderHasData = own == null || own.seq() > g.seq();
      long holderTxn = holderHasData ? g.holderTxn() : own.txn();
      for (InFlight f : onward) {
        String k = key(f.page(), f.txn(), f.requester());
        if (f.seq() < g.seq()) {
          // Sent to the dead node before it asked for the page (g): it served it, or not, from
          // an earlier copy; either way the requester is answered by forwardFailed from the store.
          continue;
        }
        if (f == own) {
          inFlight.remove(k);
          redirected.add(k);
          if (!f.exclusive()) {
            // its read made the dead node and it share, awaiting the dead node's flush
            d.owner = holder;
            d.reclaimed = false;
            d.ownerTxn = f.txn();
            d.unshare(holder);
            if (dead.equals(d.awaitingFlush)) {
              d.awaitingFlush = null;
            }
          }
          out.add(new Grant(obj, f.page(), holder, f.txn(), Mesi.M, d.epoch, null));
          continue;
        }
        inFlight.put(k, new InFlight(f.page(), f.txn(), holder, f.requester(), f.exclusive(),
            f.state(), f.write(), holderTxn, f.seq()));
        redirected.add(k);
        countForward(holder);
        out.add(new Fwd(obj, f.page(), holder, f.txn(), f.requester(), f.write(), mei, d.epoch,
            holderTxn));
      }
      if (dead.equals(d.owner)) {
        d.owner = holder;
        d.reclaimed = true; // it is invalid here: its copy is the newest
        d.ownerTxn = holderTxn; // its own grant may still be in flight
      }
      if (dead.equals(d.awaitingFlush)) {
        d.awaitingFlush = holder;
        d.share(holder);
      }
    }
  }

  /** The E/M holder of {@code page}, or null (used for glimpse). */
  public String owner(long page) {
    PageDir d = pages.get(page);
    return d == null ? null : d.owner;
  }

  /** Every known page's record. */
  public List<PageView> view() {
    List<PageView> out = new ArrayList<>();
    pages.forEach((p, d) -> out.add(new PageView(p, d.owner, List.copyOf(d.sharers()), d.epoch,
        image.read(p).serial(), !idle(d), d.waitingCount())));
    return out;
  }

  /** Write-backs and flushes rejected for a stale epoch. */
  public long staleRejected() {
    return staleRejected;
  }

  public long obj() {
    return obj;
  }

  private void countForward(String holder) {
    forwardsSent.merge(holder, 1L, Long::sum);
  }

  private static String key(long page, long txn, String requester) {
    return page + "/" + txn + "/" + requester;
  }

  /** A deep copy over {@code image} (for the exhaustive checker, which forks states). */
  DirectoryCore copy(BackingImage image) {
    DirectoryCore c = new DirectoryCore(obj, mei, image, maxRecords);
    c.shift = shift;
    c.epochFloor = epochFloor;
    folded.forEach((b, f) -> {
      Folded g = new Folded();
      g.mayHold.addAll(f.mayHold);
      c.folded.put(b, g);
    });
    c.testOnlyFoldForgetsOwner = testOnlyFoldForgetsOwner;
    pages.forEach((p, d) -> {
      PageDir e = new PageDir();
      e.owner = d.owner;
      e.ownerTxn = d.ownerTxn;
      e.reclaimed = d.reclaimed;
      d.sharers().forEach(e::share);
      e.epoch = d.epoch;
      e.busy = d.busy == null ? null : new PendingWrite(d.busy.request(),
          new TreeSet<>(d.busy.acks()), d.busy.requesterHadCopy(), d.busy.invalId());
      e.awaitingFlush = d.awaitingFlush;
      if (!d.nothingWaits()) {
        e.waiting().addAll(d.waiting);
      }
      c.pages.put(p, e);
    });
    c.inFlight.putAll(inFlight);
    c.redirected.addAll(redirected);
    c.holderEvicted.addAll(holderEvicted);
    c.staleRejected = staleRejected;
    c.nextInvalId = nextInvalId;
    c.forwardsSent.putAll(forwardsSent);
    c.nextSeq = nextSeq;
    c.testOnlySkipOneInvalidation = testOnlySkipOneInvalidation;
    c.testOnlyAcceptStaleEpoch = testOnlyAcceptStaleEpoch;
    c.testOnlyNoRecall = testOnlyNoRecall;
    return c;
  }

  /** A canonical rendering of every field that affects behaviour (the checker's state hash). */
  void fingerprint(StringBuilder sb) {
    pages.forEach((p, d) -> {
      sb.append("P").append(p).append(':').append(d.owner).append('t').append(d.ownerTxn).append(d.reclaimed ? "r" : "")
          .append(d.sharers()).append('e')
          .append(d.epoch).append('a').append(d.awaitingFlush).append('w')
          .append(d.nothingWaits() ? "[]" : d.waiting.toString());
      if (d.busy != null) {
        sb.append('b').append(d.busy.request()).append(d.busy.acks())
            .append(d.busy.requesterHadCopy());
      }
      sb.append(';');
    });
    folded.forEach((b, f) -> sb.append("R").append(b).append(f.mayHold));
    sb.append("s").append(shift).append("F").append(epochFloor);
    sb.append("I").append(nextInvalId).append(new TreeMap<>(forwardsSent)).append("IF").append(new TreeMap<>(inFlight)).append(redirected)
        .append(holderEvicted).append('|');
  }

  private PageDir fresh() {
    PageDir d = new PageDir();
    d.epoch = epochFloor;
    return d;
  }

  /**
   * A restarted directory does not know the epochs its predecessor issued for pages nobody
   * reports any more (their last owner may have died holding a write-back): new records start at
   * {@code floor}, which the caller picks above anything issued before (e.g. a timestamp-based
   * incarnation number), so a late write-back of the old era can never match.
   */
  public void setEpochFloor(long floor) {
    this.epochFloor = Math.max(epochFloor, floor);
  }

  // ---- rebuild after a restart ("holder unknown: the backing store asks every node") ----

  /**
   * Restores one page's record from what the live nodes reported after this directory restarted:
   * the node holding E or M owns it, nodes holding S share it, and the epoch is the highest one
   * reported (so the owner's write-backs still match).
   */
  public void restore(long page, String owner, Set<String> sharers, long epoch) {
    PageDir d = pages.computeIfAbsent(page, p -> fresh());
    d.owner = owner;
    d.reclaimed = false;
    d.ownerTxn = -1;
    d.clearSharers();
    sharers.forEach(d::share);
    // A page whose owner is gone may have had a later epoch than anyone reports: start above.
    d.epoch = owner != null ? Math.max(d.epoch, epoch) : Math.max(Math.max(d.epoch, epoch), epochFloor);
    bound();
  }
}

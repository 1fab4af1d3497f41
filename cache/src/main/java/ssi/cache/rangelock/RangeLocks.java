package ssi.cache.rangelock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * This node's range lock managers, one {@link RangeLock} per object, created on first use; and
 * transactions over several objects ({@link #acquireAll}).
 *
 * <pre>{@code
 * RangeLocks locks = new RangeLocks();
 * locks.acquire(obj, owner, LockMode.SHARED, 0, 4096, null).thenAccept(...);
 * locks.acquireAll(owner, List.of(new ObjectRange(a, ra), new ObjectRange(b, rb)), timeout);
 * }</pre>
 *
 * <p>Managers are kept once created (an idle one is a few dozen bytes); dropping those of closed
 * files is left to the files layer.
 */
public final class RangeLocks {

  private final ConcurrentHashMap<Long, RangeLock> byObject = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /** A registry whose timeouts run on the shared daemon timer. */
  public RangeLocks() {
    this(LockTimer.shared());
  }

  /** A registry whose timeouts run on {@code timer}. */
  public RangeLocks(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** The manager of {@code object}, created if needed. */
  public RangeLock forObject(long object) {
    RangeLock lock = byObject.get(object);
    return lock != null ? lock : byObject.computeIfAbsent(object, id -> new RangeLock(id, timer));
  }

  /** Locks one range of one object; see {@link RangeLock#acquire(LockOwner, LockMode, long, long, Duration)}. */
  public CompletionStage<Reply<Lock>> acquire(long object, LockOwner owner, LockMode mode,
      long offset, long length, Duration timeout) {
    return forObject(object).acquire(owner, mode, offset, length, timeout);
  }

  /**
   * A transaction: reserves every range of {@code ranges} (on any objects) all or nothing. Taken in
   * ascending object id, each object's ranges at once, so two transactions cannot deadlock. On a
   * timeout ({@code ETIMEDOUT}, the whole transaction within {@code timeout}; null: no limit) or
   * any error nothing stays held. {@code EINVAL} for a missing owner, an empty list or a bad
   * range, before anything is locked.
   */
  public CompletionStage<Reply<Reservation>> acquireAll(LockOwner owner, List<ObjectRange> ranges,
      Duration timeout) {
    if (owner == null || ranges == null || ranges.isEmpty()) {
      return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
    }
    SortedMap<Long, List<LockRange>> grouped = new TreeMap<>();
    for (ObjectRange r : ranges) {
      if (r == null || r.range() == null || !r.range().valid()) {
        return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
      }
      grouped.computeIfAbsent(r.object(), o -> new ArrayList<>()).add(r.range());
    }
    return new Transaction(this, owner, grouped, timeout).start();
  }

  /**
   * Held and waiting locks per object (objects with none are left out), each list in arrival
   * order: what {@code GET /ssi/locks} shows. Each object is read atomically, not all at once.
   */
  public SortedMap<Long, List<LockInfo>> snapshot() {
    SortedMap<Long, List<LockInfo>> out = new TreeMap<>();
    byObject.forEach((id, lock) -> {
      List<LockInfo> rows = lock.snapshot();
      if (!rows.isEmpty()) {
        out.put(id, rows);
      }
    });
    return Collections.unmodifiableSortedMap(out);
  }
}

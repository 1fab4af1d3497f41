package ssi.cache.rangelock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * A granted range lock on one object: the handle {@link RangeLock#acquire} completes with, to be
 * given back once through {@link #release()}. Usually one range; a lock taken with several
 * ranges ({@link #ranges()}) holds them all at once.
 *
 * <p>It is also the manager's queue entry: the fields below the constructor are guarded by the
 * owning {@link RangeLock}'s guard, which is why the handle is a class and not a record
 * (identity matters: releasing an equal but different lock is {@code EBADF}).
 */
public final class Lock {

  static final byte WAITING = 0;
  static final byte HELD = 1;
  static final byte RELEASED = 2;
  static final byte TIMED_OUT = 3;

  final RangeLock manager;
  private final LockOwner owner;
  /** The first (usually only) range, inline so that the common case allocates no array. */
  final long start;
  final long end;
  final boolean exclusive;
  /** All ranges (sorted, disjoint) when there are several, else null. */
  final long[] starts;
  final long[] ends;
  final boolean[] exclusives;
  private final long sinceMillis;

  // Guarded by the manager's guard.
  Lock prev;
  Lock next;
  byte state;
  CompletableFuture<Reply<Lock>> waiter;
  ScheduledFuture<?> timeout;

  /** A single-range lock; the range is already validated. */
  Lock(RangeLock manager, LockOwner owner, boolean exclusive, long start, long end) {
    this.manager = manager;
    this.owner = owner;
    this.start = start;
    this.end = end;
    this.exclusive = exclusive;
    this.starts = null;
    this.ends = null;
    this.exclusives = null;
    this.sinceMillis = LockTimer.coarseMillis();
  }

  /** A multi-range lock; the ranges are validated, sorted and disjoint. */
  Lock(RangeLock manager, LockOwner owner, long[] starts, long[] ends, boolean[] exclusives) {
    this.manager = manager;
    this.owner = owner;
    this.start = starts[0];
    this.end = ends[0];
    this.exclusive = exclusives[0];
    boolean several = starts.length > 1;
    this.starts = several ? starts : null;
    this.ends = several ? ends : null;
    this.exclusives = several ? exclusives : null;
    this.sinceMillis = LockTimer.coarseMillis();
  }

  /** Whether this lock and {@code other} cannot be held together: ranges overlap, one exclusive. */
  boolean conflictsWith(Lock other) {
    if (starts == null && other.starts == null) {
      return start < other.end && other.start < end && (exclusive || other.exclusive);
    }
    int n = count();
    int m = other.count();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        if (startAt(i) < other.endAt(j) && other.startAt(j) < endAt(i)
            && (exclusiveAt(i) || other.exclusiveAt(j))) {
          return true;
        }
      }
    }
    return false;
  }

  private int count() {
    return starts == null ? 1 : starts.length;
  }

  private long startAt(int i) {
    return starts == null ? start : starts[i];
  }

  private long endAt(int i) {
    return ends == null ? end : ends[i];
  }

  private boolean exclusiveAt(int i) {
    return exclusives == null ? exclusive : exclusives[i];
  }

  /** Gives the lock back; {@code EBADF} if it was already released. Same as {@link RangeLock#release}. */
  public Errno release() {
    return manager.release(this);
  }

  /** The object this lock is on. */
  public long object() {
    return manager.object();
  }

  /** Who holds it. */
  public LockOwner owner() {
    return owner;
  }

  /** The mode of the first (usually only) range. */
  public LockMode mode() {
    return exclusive ? LockMode.EXCLUSIVE : LockMode.SHARED;
  }

  /** The offset of the first (usually only) range. */
  public long offset() {
    return start;
  }

  /** The length of the first (usually only) range. */
  public long length() {
    return end - start;
  }

  /** All ranges this lock holds, sorted by offset. */
  public List<LockRange> ranges() {
    int n = count();
    List<LockRange> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new LockRange(exclusiveAt(i) ? LockMode.EXCLUSIVE : LockMode.SHARED, startAt(i),
          endAt(i) - startAt(i)));
    }
    return List.copyOf(out);
  }

  /** When the request arrived. */
  public Instant since() {
    return Instant.ofEpochMilli(sinceMillis);
  }

  /** The rows of a snapshot: one per range. Called under the manager's guard. */
  void describe(List<LockInfo> into) {
    Instant since = since();
    for (LockRange r : ranges()) {
      into.add(new LockInfo(owner, r.mode(), r.offset(), r.length(), since, state == HELD));
    }
  }

  @Override
  public String toString() {
    return "Lock[" + manager.object() + " " + owner + " " + ranges() + "]";
  }
}

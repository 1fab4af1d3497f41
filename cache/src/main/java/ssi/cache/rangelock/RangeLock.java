package ssi.cache.rangelock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * The range lock manager of one object on this node (DESIGN §8): shared and exclusive locks over
 * byte ranges {@code [offset, offset + length)}, FIFO-fair, disjoint ranges in parallel.
 *
 * <pre>{@code
 * rangeLock.acquire(owner, LockMode.EXCLUSIVE, off, len).thenAccept(r -> {
 *   if (r.isOk()) { try { write(...); } finally { r.value().release(); } }
 * });
 * }</pre>
 *
 * <p>Design. One intrusive doubly linked list holds every request in arrival order, granted or
 * waiting; a granted lock stays where it arrived. <b>Fairness rule</b>: a request is granted when
 * it conflicts with no entry before it in the list, held or waiting. So a writer queued behind
 * readers blocks readers that come after it, and vice versa; and a lock granted past a waiter
 * never conflicts with that waiter (conflict is symmetric), so a waiter need only look before
 * itself. A release or a timeout unlinks the entry and grants, in order, every waiter that
 * became grantable. All of this runs under a small spin lock (a few list operations: a thread
 * never parks for it, which a contended monitor does — two writers of disjoint ranges hit it on
 * every acquire and release); futures are completed after it is left, so callbacks never run
 * under it. The cost is linear in the locks on the object (an
 * interval index would make it logarithmic; files rarely hold many at once).
 *
 * <p>Fast path: a request that can be granted at once returns an already completed stage, in the
 * caller's thread, with no hop — one spin-lock enter and exit each for acquire and release. The
 * stage is the seam for coherence (§8: a shared lock needs ≥ S, an exclusive one E/M): a later
 * version may complete it only after the directory's grants arrive.
 *
 * <p>Errors are values: {@code EINVAL} for a bad range or a missing owner, {@code EBADF} for
 * releasing a lock twice or on another object, {@code ETIMEDOUT} when a timeout expires (the
 * request is then gone and later ones proceed as if it had never come).
 */
public final class RangeLock {

  private static final Comparator<LockRange> BY_OFFSET = Comparator.comparingLong(LockRange::offset);

  private final long object;
  private final ScheduledExecutorService timer;

  /** A spin lock over the fields below (see the class comment): 0 free, 1 taken. */
  private volatile int guard;
  private static final java.lang.invoke.VarHandle GUARD;

  static {
    try {
      GUARD = java.lang.invoke.MethodHandles.lookup().findVarHandle(RangeLock.class, "guard",
          int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Guarded by guard.
  private Lock head;
  private Lock tail;
  private int waiting;

  /** A manager for {@code object} whose timeouts run on a shared daemon timer. */
  public RangeLock(long object) {
    this(object, LockTimer.shared());
  }

  /** A manager for {@code object} whose timeouts run on {@code timer}. */
  public RangeLock(long object, ScheduledExecutorService timer) {
    this.object = object;
    this.timer = timer;
  }

  /** The object's id. */
  public long object() {
    return object;
  }

  /** Locks {@code [offset, offset + length)} in {@code mode}, waiting as long as it takes. */
  public CompletionStage<Reply<Lock>> acquire(LockOwner owner, LockMode mode, long offset,
      long length) {
    return acquire(owner, mode, offset, length, null);
  }

  /**
   * Locks {@code [offset, offset + length)} in {@code mode}; {@code ETIMEDOUT} if not granted
   * within {@code timeout} (null: no limit; zero or negative: only if free at once).
   */
  public CompletionStage<Reply<Lock>> acquire(LockOwner owner, LockMode mode, long offset,
      long length, Duration timeout) {
    if (owner == null || mode == null || offset < 0 || length <= 0 || offset + length < 0) {
      return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
    }
    return enqueue(new Lock(this, owner, mode == LockMode.EXCLUSIVE, offset, offset + length),
        timeout);
  }

  /**
   * The fast path alone: locks {@code [offset, offset + length)} in {@code mode} if it conflicts
   * with nothing held or waiting, else returns null at once (nothing is queued). No stage and no
   * reply are allocated — what a caller that can fall back to {@link #acquire} uses first.
   * {@code IllegalArgumentException} for a bad range or a missing owner.
   */
  public Lock tryAcquire(LockOwner owner, LockMode mode, long offset, long length) {
    if (owner == null || mode == null || offset < 0 || length <= 0 || offset + length < 0) {
      throw new IllegalArgumentException("bad range lock request: " + mode + " [" + offset
          + ", +" + length + ") for " + owner);
    }
    Lock lock = new Lock(this, owner, mode == LockMode.EXCLUSIVE, offset, offset + length);
    enter();
    try {
      if (conflictsBefore(lock, null)) {
        return null;
      }
      link(lock);
      lock.state = Lock.HELD;
      return lock;
    } finally {
      exit();
    }
  }

  /**
   * Locks several ranges of this object at once, all or nothing: granted when none of them
   * conflicts with an earlier request. Overlapping ranges of the list are merged (exclusive if
   * either is), so an owner never waits for itself.
   */
  public CompletionStage<Reply<Lock>> acquire(LockOwner owner, List<LockRange> ranges,
      Duration timeout) {
    if (owner == null || ranges == null || ranges.isEmpty()) {
      return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
    }
    LockRange[] sorted = new LockRange[ranges.size()];
    for (int i = 0; i < sorted.length; i++) {
      LockRange r = ranges.get(i);
      if (r == null || !r.valid()) {
        return CompletableFuture.completedFuture(Reply.error(Errno.EINVAL));
      }
      sorted[i] = r;
    }
    Arrays.sort(sorted, BY_OFFSET);
    long[] starts = new long[sorted.length];
    long[] ends = new long[sorted.length];
    boolean[] exclusives = new boolean[sorted.length];
    int n = -1;
    for (LockRange r : sorted) {
      long s = r.offset();
      long e = s + r.length();
      boolean x = r.mode() == LockMode.EXCLUSIVE;
      if (n >= 0 && s < ends[n]) {
        ends[n] = Math.max(ends[n], e);
        exclusives[n] |= x;
      } else {
        n++;
        starts[n] = s;
        ends[n] = e;
        exclusives[n] = x;
      }
    }
    int count = n + 1;
    return enqueue(new Lock(this, owner, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count),
        Arrays.copyOf(exclusives, count)), timeout);
  }

  /** Takes the guard: test, then compare-and-set; spins briefly, then yields between tries. */
  private void enter() {
    int spins = 0;
    while (guard != 0 || !GUARD.compareAndSet(this, 0, 1)) {
      if (++spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Gives the guard back: a release store is enough (no full fence, which costs as much again). */
  private void exit() {
    GUARD.setRelease(this, 0);
  }

  private CompletionStage<Reply<Lock>> enqueue(Lock lock, Duration timeout) {
    CompletableFuture<Reply<Lock>> waiter;
    enter();
    try {
      boolean free = !conflictsBefore(lock, null);
      if (free) {
        link(lock);
        lock.state = Lock.HELD;
      } else if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
        lock.state = Lock.TIMED_OUT;
      } else {
        link(lock);
        lock.state = Lock.WAITING;
        waiting++;
        waiter = new CompletableFuture<>();
        lock.waiter = waiter;
        if (timeout != null) {
          lock.timeout = timer.schedule(() -> expire(lock), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return waiter;
      }
    } finally {
      exit();
    }
    return CompletableFuture.completedFuture(
        lock.state == Lock.HELD ? Reply.ok(lock) : Reply.error(Errno.ETIMEDOUT));
  }

  /**
   * Gives a lock back and lets through the waiters that became grantable, in arrival order (their
   * stages complete in this thread). {@code EBADF} if the lock is not held here.
   */
  public Errno release(Lock lock) {
    if (lock == null || lock.manager != this) {
      return Errno.EBADF;
    }
    List<Lock> granted;
    enter();
    try {
      if (lock.state != Lock.HELD) {
        return Errno.EBADF;
      }
      unlink(lock);
      lock.state = Lock.RELEASED;
      if (waiting == 0) {
        return Errno.OK;
      }
      granted = grantWaiters();
    } finally {
      exit();
    }
    complete(granted);
    return Errno.OK;
  }

  /** The timeout of a waiting request: unlink it, let later ones through, reply ETIMEDOUT. */
  private void expire(Lock lock) {
    List<Lock> granted;
    enter();
    try {
      if (lock.state != Lock.WAITING) {
        return;
      }
      unlink(lock);
      waiting--;
      lock.state = Lock.TIMED_OUT;
      granted = waiting == 0 ? null : grantWaiters();
    } finally {
      exit();
    }
    lock.waiter.complete(Reply.error(Errno.ETIMEDOUT));
    complete(granted);
  }

  /** Held and waiting requests, in arrival order. */
  public List<LockInfo> snapshot() {
    List<LockInfo> out = new ArrayList<>();
    enter();
    try {
      for (Lock l = head; l != null; l = l.next) {
        l.describe(out);
      }
    } finally {
      exit();
    }
    return List.copyOf(out);
  }

  /** Whether nothing is held or waiting. */
  public boolean idle() {
    enter();
    try {
      return head == null;
    } finally {
      exit();
    }
  }

  /** Whether {@code lock} conflicts with an entry before {@code stop} (null: the whole list). */
  private boolean conflictsBefore(Lock lock, Lock stop) {
    for (Lock l = head; l != stop; l = l.next) {
      if (lock.conflictsWith(l)) {
        return true;
      }
    }
    return false;
  }

  /** Grants, in order, every waiter that conflicts with nothing before it; null if none. */
  private List<Lock> grantWaiters() {
    List<Lock> granted = null;
    for (Lock l = head; l != null && waiting > 0; l = l.next) {
      if (l.state == Lock.WAITING && !conflictsBefore(l, l)) {
        l.state = Lock.HELD;
        waiting--;
        if (granted == null) {
          granted = new ArrayList<>(2);
        }
        granted.add(l);
      }
    }
    return granted;
  }

  /** Completes granted waiters' stages, outside the guard. */
  private static void complete(List<Lock> granted) {
    if (granted == null) {
      return;
    }
    for (Lock l : granted) {
      if (l.timeout != null) {
        l.timeout.cancel(false);
      }
      l.waiter.complete(Reply.ok(l));
    }
  }

  private void link(Lock lock) {
    lock.prev = tail;
    if (tail == null) {
      head = lock;
    } else {
      tail.next = lock;
    }
    tail = lock;
  }

  private void unlink(Lock lock) {
    if (lock.prev == null) {
      head = lock.next;
    } else {
      lock.prev.next = lock.next;
    }
    if (lock.next == null) {
      tail = lock.prev;
    } else {
      lock.next.prev = lock.prev;
    }
    lock.prev = null;
    lock.next = null;
  }
}

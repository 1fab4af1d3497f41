package ssi.cache.rangelock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.rangelock.Await.errnoNow;
import static ssi.cache.rangelock.Await.granted;
import static ssi.cache.rangelock.Await.grantedNow;
import static ssi.cache.rangelock.Await.pending;
import static ssi.cache.rangelock.Await.reply;
import static ssi.cache.rangelock.LockMode.EXCLUSIVE;
import static ssi.cache.rangelock.LockMode.SHARED;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/** The conflict matrix, FIFO fairness, timeouts, multi-range locks and errnos of one object's manager. */
@ExtendWith(LogCapture.class)
class RangeLockTest {

  private static final LockOwner A = new LockOwner("node-a", 1);
  private static final LockOwner B = new LockOwner("node-a", 2);
  private static final LockOwner C = new LockOwner("node-b", 1);
  private static final LockOwner D = new LockOwner("node-b", 2);

  private final RangeLock lock = new RangeLock(42);

  @Test
  void sharedLocksOnOverlappingRangesAreHeldTogether() {
    Lock s1 = grantedNow(lock.acquire(A, SHARED, 0, 100));
    Lock s2 = grantedNow(lock.acquire(B, SHARED, 50, 100));
    assertEquals(Errno.OK, s1.release());
    assertEquals(Errno.OK, s2.release());
    assertTrue(lock.idle());
  }

  @Test
  void exclusiveExcludesOverlappingSharedAndExclusive() {
    Lock s = grantedNow(lock.acquire(A, SHARED, 0, 100));
    CompletionStage<Reply<Lock>> x = lock.acquire(B, EXCLUSIVE, 99, 10);
    pending(x);
    s.release();
    Lock xl = granted(x);
    CompletionStage<Reply<Lock>> x2 = lock.acquire(C, EXCLUSIVE, 100, 1);
    CompletionStage<Reply<Lock>> s2 = lock.acquire(D, SHARED, 108, 5);
    pending(x2);
    pending(s2);
    xl.release();
    granted(x2).release();
    granted(s2).release();
    assertTrue(lock.idle());
  }

  @Test
  void tryAcquireLocksWhatIsFreeAndQueuesNothingOtherwise() {
    Lock x = lock.tryAcquire(A, EXCLUSIVE, 0, 10);
    assertTrue(x != null);
    assertEquals(null, lock.tryAcquire(B, SHARED, 5, 10), "conflicts: not granted");
    assertEquals(1, lock.snapshot().size(), "and nothing left waiting");
    Lock beside = lock.tryAcquire(B, EXCLUSIVE, 10, 10);
    assertTrue(beside != null, "a disjoint range is free");
    CompletionStage<Reply<Lock>> queued = lock.acquire(C, EXCLUSIVE, 15, 10);
    assertTrue(lock.tryAcquire(D, SHARED, 100, 1) != null, "beside a waiter too");
    assertEquals(Errno.OK, x.release());
    assertEquals(Errno.OK, beside.release());
    assertEquals(Errno.OK, grantedNow(queued).release());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> lock.tryAcquire(A, EXCLUSIVE, -1, 10));
  }

  @Test
  void disjointAndAdjacentExclusiveRangesProceedInParallel() {
    Lock x1 = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 10));
    Lock x2 = grantedNow(lock.acquire(B, EXCLUSIVE, 10, 10)); // adjacent: [10, 20)
    Lock x3 = grantedNow(lock.acquire(C, EXCLUSIVE, 1000, 1));
    Lock s = grantedNow(lock.acquire(D, SHARED, 20, 5)); // adjacent to x2
    for (Lock l : List.of(x1, x2, x3, s)) {
      assertEquals(Errno.OK, l.release());
    }
  }

  @Test
  void writerQueuedBehindReadersGoesBeforeLaterReaders() {
    Lock r1 = grantedNow(lock.acquire(A, SHARED, 0, 100));
    CompletionStage<Reply<Lock>> w = lock.acquire(B, EXCLUSIVE, 0, 100);
    // A reader-preferring lock would let this one join r1; FIFO puts it behind the writer.
    CompletionStage<Reply<Lock>> r2 = lock.acquire(C, SHARED, 10, 10);
    pending(w);
    pending(r2);
    r1.release();
    Lock wl = granted(w);
    pending(r2);
    wl.release();
    granted(r2).release();
    assertTrue(lock.idle());
  }

  @Test
  void readersQueuedBehindAWriterGoBeforeALaterWriterAndTogether() {
    Lock w1 = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 100));
    CompletionStage<Reply<Lock>> r1 = lock.acquire(B, SHARED, 0, 10);
    CompletionStage<Reply<Lock>> w2 = lock.acquire(C, EXCLUSIVE, 0, 100);
    CompletionStage<Reply<Lock>> r2 = lock.acquire(D, SHARED, 50, 10);
    w1.release();
    Lock r1l = granted(r1);
    pending(w2);
    pending(r2); // behind w2, even though compatible with r1
    r1l.release();
    Lock w2l = granted(w2);
    pending(r2);
    w2l.release();
    granted(r2).release();
  }

  @Test
  void aRequestPassesWaitersItDoesNotConflictWith() {
    Lock x = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 10));
    CompletionStage<Reply<Lock>> waiting = lock.acquire(B, EXCLUSIVE, 5, 10);
    Lock elsewhere = grantedNow(lock.acquire(C, EXCLUSIVE, 15, 10));
    pending(waiting);
    x.release();
    granted(waiting).release();
    elsewhere.release();
  }

  @Test
  void aTimedOutWaiterIsRemovedAndLetsLaterOnesThrough() {
    Lock held = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 100));
    CompletionStage<Reply<Lock>> timed =
        lock.acquire(B, EXCLUSIVE, 50, 100, Duration.ofMillis(100));
    // Conflicts only with the timed waiter, so it waits behind it (FIFO) and no longer.
    CompletionStage<Reply<Lock>> later = lock.acquire(C, SHARED, 120, 10);
    pending(later);
    assertEquals(Errno.ETIMEDOUT, reply(timed).errno());
    Lock laterLock = granted(later);
    assertEquals(2, lock.snapshot().size());
    assertTrue(lock.snapshot().stream().allMatch(LockInfo::held));
    held.release();
    laterLock.release();
    assertTrue(lock.idle());
  }

  @Test
  void aGrantedTimedRequestKeepsItsLock() {
    Lock held = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 10));
    CompletionStage<Reply<Lock>> timed = lock.acquire(B, SHARED, 0, 10, Duration.ofSeconds(30));
    held.release();
    Lock got = granted(timed);
    assertEquals(Errno.OK, got.release());
  }

  @Test
  void zeroTimeoutIsATryLock() {
    Lock held = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 10));
    assertEquals(Errno.ETIMEDOUT, errnoNow(lock.acquire(B, SHARED, 5, 1, Duration.ZERO)));
    assertEquals(1, lock.snapshot().size());
    grantedNow(lock.acquire(B, SHARED, 10, 1, Duration.ZERO)).release();
    held.release();
  }

  @Test
  void badInputGivesErrnos() {
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, SHARED, -1, 10)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, SHARED, 0, 0)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, SHARED, 0, -5)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, SHARED, Long.MAX_VALUE - 1, 10)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(null, SHARED, 0, 10)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, null, 0, 10)));
    assertEquals(Errno.EINVAL, errnoNow(lock.acquire(A, List.of(), null)));
    assertEquals(Errno.EINVAL, errnoNow(
        lock.acquire(A, List.of(new LockRange(SHARED, 0, 1), new LockRange(SHARED, 5, 0)), null)));
    assertTrue(lock.idle());

    Lock l = grantedNow(lock.acquire(A, SHARED, 0, Long.MAX_VALUE)); // the whole object is fine
    assertEquals(Errno.OK, l.release());
    assertEquals(Errno.EBADF, l.release());
    assertEquals(Errno.EBADF, lock.release(null));
    Lock other = grantedNow(new RangeLock(7).acquire(A, SHARED, 0, 1));
    assertEquals(Errno.EBADF, lock.release(other));
    assertEquals(Errno.OK, other.release());
  }

  @Test
  void severalRangesAreGrantedAtOnceAndOverlapsMerged() {
    Lock blocker = grantedNow(lock.acquire(A, SHARED, 500, 10));
    CompletionStage<Reply<Lock>> multi = lock.acquire(B, List.of(
        new LockRange(SHARED, 100, 50), new LockRange(EXCLUSIVE, 0, 10),
        new LockRange(EXCLUSIVE, 120, 50), new LockRange(EXCLUSIVE, 505, 1)), null);
    pending(multi);
    // Compatible with the multi-range request's shared part? No: [100,170) was merged exclusive.
    CompletionStage<Reply<Lock>> reader = lock.acquire(C, SHARED, 140, 1);
    pending(reader);
    blocker.release();
    Lock m = granted(multi);
    assertEquals(List.of(new LockRange(EXCLUSIVE, 0, 10), new LockRange(EXCLUSIVE, 100, 70),
        new LockRange(EXCLUSIVE, 505, 1)), m.ranges());
    pending(reader);
    m.release();
    granted(reader).release();
  }

  @Test
  void snapshotShowsHeldAndWaitingInArrivalOrder() {
    Lock held = grantedNow(lock.acquire(A, EXCLUSIVE, 0, 10));
    CompletionStage<Reply<Lock>> w = lock.acquire(B, SHARED, 5, 20);
    List<LockInfo> rows = lock.snapshot();
    assertEquals(2, rows.size());
    assertEquals(new LockInfo(A, EXCLUSIVE, 0, 10, held.since(), true), rows.get(0));
    assertEquals(B, rows.get(1).owner());
    assertEquals(SHARED, rows.get(1).mode());
    assertEquals(5, rows.get(1).offset());
    assertEquals(20, rows.get(1).length());
    assertEquals(false, rows.get(1).held());
    held.release();
    Lock got = granted(w);
    assertSame(got, reply(w).value());
    got.release();
    assertTrue(lock.snapshot().isEmpty());
  }
}

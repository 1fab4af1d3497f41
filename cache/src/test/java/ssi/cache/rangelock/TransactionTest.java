package ssi.cache.rangelock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.rangelock.Await.errnoNow;
import static ssi.cache.rangelock.Await.granted;
import static ssi.cache.rangelock.Await.grantedNow;
import static ssi.cache.rangelock.Await.pending;
import static ssi.cache.rangelock.Await.reply;
import static ssi.cache.rangelock.LockMode.EXCLUSIVE;
import static ssi.cache.rangelock.LockMode.SHARED;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/** Transactions over several objects: all or nothing, no deadlock, and the registry's snapshot. */
@ExtendWith(LogCapture.class)
class TransactionTest {

  private static final LockOwner A = new LockOwner("node-a", 1);
  private static final LockOwner B = new LockOwner("node-b", 1);

  private static final int THREADS = 6;
  private static final int TXNS_PER_THREAD = 1_500;
  private static final int OBJECTS = 4;
  private static final int SPACE = 128;
  private static final long DEADLINE_SECONDS = 60;

  @Test
  void randomOverlappingTransactionsFinishAndHoldAllTheirRangesAtOnce() throws Exception {
    RangeLocks locks = new RangeLocks();
    AtomicIntegerArray writers = new AtomicIntegerArray(OBJECTS * SPACE);
    AtomicIntegerArray readers = new AtomicIntegerArray(OBJECTS * SPACE);
    AtomicInteger violations = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 77 + t;
      LockOwner owner = new LockOwner("n" + t % 3, t);
      done.add(pool.submit(() -> {
        Random rnd = new Random(seed);
        for (int i = 0; i < TXNS_PER_THREAD; i++) {
          List<ObjectRange> ranges = new ArrayList<>();
          for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            int off = rnd.nextInt(SPACE - 1);
            int len = 1 + rnd.nextInt(Math.min(32, SPACE - off));
            // Objects listed in random order: the registry must impose its own.
            ranges.add(new ObjectRange(rnd.nextInt(OBJECTS),
                new LockRange(rnd.nextBoolean() ? EXCLUSIVE : SHARED, off, len)));
          }
          Reservation r = granted(locks.acquireAll(owner, ranges, null));
          for (Lock l : r.locks()) {
            for (LockRange range : l.ranges()) {
              RangeLockStressTest.enter(range.mode() == EXCLUSIVE,
                  (int) (l.object() * SPACE + range.offset()), (int) range.length(),
                  writers, readers, violations);
            }
          }
          Thread.onSpinWait();
          for (Lock l : r.locks()) {
            for (LockRange range : l.ranges()) {
              RangeLockStressTest.leave(range.mode() == EXCLUSIVE,
                  (int) (l.object() * SPACE + range.offset()), (int) range.length(),
                  writers, readers);
            }
          }
          if (r.release() != Errno.OK) {
            violations.incrementAndGet();
          }
        }
      }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS),
        "transactions deadlocked; locks: " + locks.snapshot());
    for (Future<?> f : done) {
      f.get();
    }
    assertEquals(0, violations.get(), "a transaction did not hold its ranges exclusively");
    assertTrue(locks.snapshot().isEmpty(), "locks left: " + locks.snapshot());
  }

  @Test
  void aTransactionThatTimesOutHoldsNothing() {
    RangeLocks locks = new RangeLocks();
    Lock blocker = grantedNow(locks.acquire(2, B, EXCLUSIVE, 0, 10, null));
    CompletionStage<Reply<Reservation>> t = locks.acquireAll(A, List.of(
        new ObjectRange(2, new LockRange(SHARED, 5, 1)),
        new ObjectRange(1, new LockRange(EXCLUSIVE, 0, 10))), Duration.ofMillis(100));
    assertEquals(Errno.ETIMEDOUT, reply(t).errno());
    assertEquals(List.of(2L), List.copyOf(locks.snapshot().keySet()));
    grantedNow(locks.acquire(1, B, EXCLUSIVE, 0, 10, null)).release();
    blocker.release();
    assertTrue(locks.snapshot().isEmpty());
  }

  @Test
  void aTransactionWaitsForItsLastObjectAndThenHoldsAll() {
    RangeLocks locks = new RangeLocks();
    Lock blocker = grantedNow(locks.acquire(9, B, SHARED, 0, 10, null));
    CompletionStage<Reply<Reservation>> t = locks.acquireAll(A, List.of(
        new ObjectRange(9, new LockRange(EXCLUSIVE, 5, 1)),
        new ObjectRange(3, new LockRange(EXCLUSIVE, 0, 10)),
        new ObjectRange(3, new LockRange(SHARED, 20, 10))), null);
    pending(t);
    assertEquals(2, locks.snapshot().get(3L).size()); // object 3 already held, two ranges
    blocker.release();
    Reservation r = granted(t);
    assertEquals(List.of(3L, 9L), r.locks().stream().map(Lock::object).toList());
    assertEquals(Errno.OK, r.release());
    assertEquals(Errno.EBADF, r.release());
    assertTrue(locks.snapshot().isEmpty());
  }

  @Test
  void badTransactionsGiveEinvalAndLockNothing() {
    RangeLocks locks = new RangeLocks();
    assertEquals(Errno.EINVAL, errnoNow(locks.acquireAll(A, List.of(), null)));
    assertEquals(Errno.EINVAL, errnoNow(locks.acquireAll(null,
        List.of(new ObjectRange(1, new LockRange(SHARED, 0, 1))), null)));
    assertEquals(Errno.EINVAL, errnoNow(locks.acquireAll(A, List.of(
        new ObjectRange(1, new LockRange(SHARED, 0, 1)),
        new ObjectRange(2, new LockRange(EXCLUSIVE, -3, 1))), null)));
    assertTrue(locks.snapshot().isEmpty());
  }
}

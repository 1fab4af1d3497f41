package ssi.cache.rangelock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.testing.LogCapture;

/**
 * Many threads lock random overlapping ranges of one object, some with timeouts, and mark a
 * shadow of the bytes while they hold them: no byte ever has two writers, or a reader during a
 * write; and every request ends within the deadline (no lost wake-up).
 */
@ExtendWith(LogCapture.class)
class RangeLockStressTest {

  private static final int THREADS = 6;
  private static final int OPS_PER_THREAD = 3_000;
  private static final int SPACE = 256;
  private static final int MAX_LENGTH = 48;
  private static final long DEADLINE_SECONDS = 60;

  @Test
  void randomOverlappingLocksKeepMutualExclusion() throws Exception {
    RangeLock lock = new RangeLock(1);
    AtomicIntegerArray writers = new AtomicIntegerArray(SPACE);
    AtomicIntegerArray readers = new AtomicIntegerArray(SPACE);
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger grants = new AtomicInteger();
    AtomicInteger timeouts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 1000 + t;
      LockOwner owner = new LockOwner("n", t);
      done.add(pool.submit(() -> {
        Random rnd = new Random(seed);
        for (int i = 0; i < OPS_PER_THREAD; i++) {
          boolean exclusive = rnd.nextInt(3) == 0;
          int off = rnd.nextInt(SPACE - 1);
          int len = 1 + rnd.nextInt(Math.min(MAX_LENGTH, SPACE - off));
          Duration timeout = rnd.nextInt(10) == 0 ? Duration.ofNanos(rnd.nextInt(200_000)) : null;
          var reply = Await.reply(lock.acquire(owner,
              exclusive ? LockMode.EXCLUSIVE : LockMode.SHARED, off, len, timeout));
          if (!reply.isOk()) {
            timeouts.incrementAndGet();
            continue;
          }
          grants.incrementAndGet();
          enter(exclusive, off, len, writers, readers, violations);
          for (int spin = rnd.nextInt(50); spin > 0; spin--) {
            Thread.onSpinWait();
          }
          leave(exclusive, off, len, writers, readers);
          if (reply.value().release() != ssi.actors.lwkt.Errno.OK) {
            violations.incrementAndGet();
          }
        }
      }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS), "threads stuck");
    for (Future<?> f : done) {
      f.get();
    }
    assertEquals(0, violations.get(), "mutual exclusion violated");
    assertEquals(THREADS * OPS_PER_THREAD, grants.get() + timeouts.get());
    assertTrue(grants.get() > THREADS * OPS_PER_THREAD / 2, "too few grants: " + grants);
    assertTrue(lock.idle(), "locks left: " + lock.snapshot());
  }

  /** Marks a range held; counts a violation if a writer meets anyone or a reader a writer. */
  static void enter(boolean exclusive, int off, int len, AtomicIntegerArray writers,
      AtomicIntegerArray readers, AtomicInteger violations) {
    for (int b = off; b < off + len; b++) {
      if (exclusive) {
        if (writers.incrementAndGet(b) != 1 || readers.get(b) != 0) {
          violations.incrementAndGet();
        }
      } else {
        readers.incrementAndGet(b);
        if (writers.get(b) != 0) {
          violations.incrementAndGet();
        }
      }
    }
  }

  static void leave(boolean exclusive, int off, int len, AtomicIntegerArray writers,
      AtomicIntegerArray readers) {
    for (int b = off; b < off + len; b++) {
      (exclusive ? writers : readers).decrementAndGet(b);
    }
  }
}

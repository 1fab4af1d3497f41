package ssi.bench.rangelock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import ssi.actors.lwkt.Errno;
import ssi.cache.rangelock.Lock;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.RangeLock;

/**
 * One thread, no contention: a range lock acquire + release on one object's {@link RangeLock},
 * against {@code ReentrantReadWriteLock} lock + unlock, in both modes — through {@code
 * tryAcquire} (the fast path a node's lock manager takes first: no stage, no reply) and through
 * {@code acquire} (an already completed stage). Goal {@code uncontended-vs-rwlock} (≤ 2)
 * compares the fast path's sums over both modes; the stage path is printed beside it.
 *
 * <p>Run: {@code bench/run rangelock}, or alone
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main UncontendedBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UncontendedBenchmark {

  private static final long OFFSET = 4096;
  private static final long LENGTH = 4096;

  private final RangeLock rangeLock = new RangeLock(1);
  private final LockOwner owner = new LockOwner("bench", 1);
  private final ReentrantReadWriteLock rwLock = new ReentrantReadWriteLock();

  /** Exclusive range lock acquire + release. */
  @Benchmark
  public Errno rangeExclusive() {
    return acquire(LockMode.EXCLUSIVE).release();
  }

  /** Shared range lock acquire + release. */
  @Benchmark
  public Errno rangeShared() {
    return acquire(LockMode.SHARED).release();
  }

  /** Exclusive range lock through the fast path alone ({@code tryAcquire}) + release. */
  @Benchmark
  public Errno rangeExclusiveFast() {
    return rangeLock.tryAcquire(owner, LockMode.EXCLUSIVE, OFFSET, LENGTH).release();
  }

  /** Shared range lock through the fast path alone + release. */
  @Benchmark
  public Errno rangeSharedFast() {
    return rangeLock.tryAcquire(owner, LockMode.SHARED, OFFSET, LENGTH).release();
  }

  /** Write lock + unlock. */
  @Benchmark
  public void rwWrite() {
    rwLock.writeLock().lock();
    rwLock.writeLock().unlock();
  }

  /** Read lock + unlock. */
  @Benchmark
  public void rwRead() {
    rwLock.readLock().lock();
    rwLock.readLock().unlock();
  }

  private Lock acquire(LockMode mode) {
    return rangeLock.acquire(owner, mode, OFFSET, LENGTH).toCompletableFuture().join().value();
  }
}

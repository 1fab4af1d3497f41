package ssi.bench.rangelock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import ssi.cache.rangelock.Lock;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.RangeLock;

/**
 * Two writer threads (2 CPUs) on one file, each writing {@link #writeBytes} bytes into its own
 * region of the file's buffer under a lock. {@code rangeLocks}: each write holds an exclusive range
 * lock on exactly its bytes, so the two proceed in parallel. {@code fileLock}: each write holds one
 * whole-file lock (a {@code ReentrantLock}), so they take turns. {@code rangeWholeFile}: the range
 * lock over the whole file (a detail: the range lock's own cost under contention). Goal
 * {@code disjoint-writers-vs-file-lock} (≥ 1.7) is rangeLocks / fileLock, throughput, at 16 KiB.
 *
 * <p>Run: {@code bench/run rangelock}, or alone
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main DisjointWritersBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(DisjointWritersBenchmark.WRITERS)
public class DisjointWritersBenchmark {

  static final int WRITERS = 2;
  /** Bytes per write: the goal uses 16 KiB (4 pages); 64 KiB (issue 6's record size) is a detail. */
  @Param({"16384", "65536"})
  public int writeBytes;

  /** Writers' regions are this much further apart, so their bytes never share a cache line. */
  private static final int GAP = 4096;

  private int region;
  private byte[] file;
  private final RangeLock rangeLock = new RangeLock(1);
  private final ReentrantLock fileLock = new ReentrantLock();
  private final AtomicInteger nextWriter = new AtomicInteger();

  /** Sizes the file for the two regions. */
  @Setup
  public void setUp() {
    region = writeBytes + GAP;
    file = new byte[WRITERS * region];
  }

  /** One writer: its region, its data and its lock owner. */
  @State(Scope.Thread)
  public static class Writer {
    int offset;
    LockOwner owner;
    int length;
    byte[] data;

    /** Picks this thread's region. */
    @Setup
    public void setUp(DisjointWritersBenchmark file) {
      int index = file.nextWriter.getAndIncrement() % WRITERS;
      offset = index * file.region;
      length = file.writeBytes;
      data = new byte[length];
      owner = new LockOwner("bench", index);
      data[0] = (byte) index;
    }
  }

  /** Each writer locks only its range (the fast path first, as a node's lock manager does). */
  @Benchmark
  public byte rangeLocks(Writer w) {
    Lock lock = rangeLock.tryAcquire(w.owner, LockMode.EXCLUSIVE, w.offset, w.length);
    if (lock == null) {
      lock = rangeLock.acquire(w.owner, LockMode.EXCLUSIVE, w.offset, w.length)
          .toCompletableFuture().join().value();
    }
    byte b = write(w);
    lock.release();
    return b;
  }

  /** Each writer takes the range lock over the whole file. */
  @Benchmark
  public byte rangeWholeFile(Writer w) {
    Lock lock = rangeLock.acquire(w.owner, LockMode.EXCLUSIVE, 0, file.length)
        .toCompletableFuture().join().value();
    byte b = write(w);
    lock.release();
    return b;
  }

  /** Each writer takes the one whole-file lock. */
  @Benchmark
  public byte fileLock(Writer w) {
    fileLock.lock();
    try {
      return write(w);
    } finally {
      fileLock.unlock();
    }
  }

  private byte write(Writer w) {
    w.data[1]++;
    System.arraycopy(w.data, 0, file, w.offset, w.length);
    return file[w.offset + 1];
  }
}

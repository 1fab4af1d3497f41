package ssi.bench.lwkt;

import akka.actor.typed.ActorSystem;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import ssi.actors.cpu.CpuState;
import ssi.actors.cpu.Cpus;

/**
 * Per-CPU counters kept by IPI against one shared lock, on 2 CPUs. Two workers each make
 * {@link #UPDATES} counter updates, alternating between a counter owned by CPU 0 and one owned by
 * CPU 1. {@code ipi}: the workers are the two CPUs; an update of one's own counter is a direct
 * call, of the other's an IPI (a wake-up only when the target has none due), and each CPU changes
 * only its own counter, lock-free. {@code lock}: two plain threads update both counters under one shared lock,
 * taken once per update. Goal {@code ipi-vs-lock} (≥ 1).
 *
 * <p>Run: {@code bench/run lwkt}, or alone
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main IpiBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpiBenchmark {

  /** Updates per worker per invocation. */
  static final int UPDATES = 100_000;
  private static final int WORKERS = 2;
  private static final long WAIT_SECONDS = 60;

  /** The per-CPU counter, kept in each CPU's own state. */
  private static final class Counter {
    long value;
  }

  private ActorSystem<Void> system;
  private Cpus cpus;
  private ExecutorService threads;
  private final Object lock = new Object();
  private final long[] shared = new long[WORKERS];

  /** Starts the runtime (2 CPUs) and the lock baseline's two threads. */
  @Setup(Level.Trial)
  public void setUp() {
    system = BenchSystem.start("ipi", WORKERS);
    cpus = Cpus.get(system);
    threads = Executors.newFixedThreadPool(WORKERS);
  }

  /** Stops both. */
  @TearDown(Level.Trial)
  public void tearDown() {
    threads.shutdownNow();
    system.terminate();
  }

  /** Per-CPU counters updated by IPI. */
  @Benchmark
  @OperationsPerInvocation(WORKERS * UPDATES)
  public long ipi() throws InterruptedException {
    // One marker per (source, target) pair: FIFO order means it runs after that pair's updates.
    CountDownLatch done = new CountDownLatch(WORKERS * WORKERS);
    for (int w = 0; w < WORKERS; w++) {
      cpus.ipi(w, self -> {
        for (int i = 0; i < UPDATES; i++) {
          cpus.ipi(i & 1, IpiBenchmark::increment);
        }
        for (int t = 0; t < WORKERS; t++) {
          cpus.ipi(t, c -> done.countDown());
        }
      });
    }
    await(done);
    return done.getCount();
  }

  /** The baseline: both counters behind one shared lock. */
  @Benchmark
  @OperationsPerInvocation(WORKERS * UPDATES)
  public long lock() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(WORKERS);
    for (int w = 0; w < WORKERS; w++) {
      threads.execute(() -> {
        for (int i = 0; i < UPDATES; i++) {
          lockedIncrement(i & 1);
        }
        done.countDown();
      });
    }
    await(done);
    return shared[0];
  }

  /**
   * One update under the shared lock. Not inlined: otherwise the JIT merges the loop's adjacent
   * {@code synchronized} blocks into one and the baseline stops taking a lock per update.
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private void lockedIncrement(int counter) {
    synchronized (lock) {
      shared[counter]++;
    }
  }

  private static void increment(CpuState cpu) {
    cpu.local(Counter.class, Counter::new).value++;
  }

  private static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("workers did not finish in " + WAIT_SECONDS + " s");
    }
  }
}

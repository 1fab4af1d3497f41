package ssi.bench.lwkt;

import akka.actor.typed.ActorSystem;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import ssi.actors.bgl.Domains;

/**
 * The same subsystem work run under the BGL ({@code covered}: subsystem {@code proc}) and removed
 * from it ({@code removed}: subsystem {@code net}, one protocol thread per CPU, keys hashed), with
 * {@code ssi.cpus} = 1 and 2. Each invocation issues {@link #CALLS} calls with distinct keys and
 * waits for all replies; each call burns a fixed amount of CPU ({@link #WORK_TOKENS}). Goals
 * {@code bgl-removed-vs-covered-1cpu} (≥ 0.95: no uni-processor penalty) and
 * {@code bgl-removed-vs-covered-2cpu} (≥ 1.5).
 *
 * <p>Run: {@code bench/run lwkt}, or alone
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main BglBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BglBenchmark {

  /** Calls in flight per invocation. */
  static final int CALLS = 1_000;
  /**
   * CPU burnt by each call (JMH tokens, a few ns each: tens of microseconds), so the figure is
   * about where subsystem work runs, not about the cost of one hop.
   */
  static final long WORK_TOKENS = 20_000;
  private static final long WAIT_SECONDS = 60;

  /** CPUs of the node. */
  @Param({"1", "2"})
  public int cpus;

  private ActorSystem<Void> system;
  private Domains domains;

  /** Starts a node runtime with {@link #cpus} CPUs. */
  @Setup(Level.Trial)
  public void setUp() {
    system = BenchSystem.start("bgl", cpus);
    domains = Domains.get(system);
    if (!domains.covered("proc") || domains.covered("net")) {
      throw new IllegalStateException("expects proc covered and net removed (ssi.bgl.covered)");
    }
  }

  /** Stops it. */
  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
  }

  /** Work of a subsystem under the BGL. */
  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long covered() throws InterruptedException {
    return run("proc");
  }

  /** The same work of a subsystem removed from the BGL. */
  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long removed() throws InterruptedException {
    return run("net");
  }

  private long run(String subsystem) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(CALLS);
    for (int key = 0; key < CALLS; key++) {
      domains.call(subsystem, key, BglBenchmark::work).thenAccept(r -> done.countDown());
    }
    if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(subsystem + " calls did not finish in " + WAIT_SECONDS + " s");
    }
    return done.getCount();
  }

  private static Integer work() {
    Blackhole.consumeCPU(WORK_TOKENS);
    return 1;
  }
}

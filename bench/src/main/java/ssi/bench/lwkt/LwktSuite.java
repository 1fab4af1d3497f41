package ssi.bench.lwkt;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import ssi.bench.Goal;
import ssi.bench.Suite;

/**
 * The {@code lwkt} suite of DESIGN §13, five ratios each measured side by side in one JMH run:
 * {@code domsg-fast-vs-ask} (≥ 20) and {@code domsg-queued-vs-ask} (≥ 1) from
 * {@link DomsgBenchmark}, {@code ipi-vs-lock} (≥ 1) from {@link IpiBenchmark},
 * {@code bgl-removed-vs-covered-1cpu} (≥ 0.95) and {@code bgl-removed-vs-covered-2cpu} (≥ 1.5)
 * from {@link BglBenchmark}. Nine benchmarks, one forked JVM each.
 */
public final class LwktSuite implements Suite {

  /** Full run: ~8 s of iterations per benchmark plus its JVM, ~2 minutes in all. */
  private static final int WARMUP_ITERATIONS = 3;
  private static final int MEASUREMENT_ITERATIONS = 5;
  private static final TimeValue ITERATION_TIME = TimeValue.seconds(1);

  /** Quick run: ~2 s of iterations per benchmark, ~40 s in all. */
  private static final int QUICK_WARMUP_ITERATIONS = 2;
  private static final int QUICK_MEASUREMENT_ITERATIONS = 2;
  private static final TimeValue QUICK_ITERATION_TIME = TimeValue.milliseconds(500);

  private static final String FORK_HEAP = "-Xmx256m";

  @Override
  public String name() {
    return "lwkt";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    Options options = new OptionsBuilder()
        .include("^" + LwktSuite.class.getPackageName().replace(".", "\\.") + "\\..*Benchmark\\.")
        .forks(1)
        .jvmArgsAppend(FORK_HEAP)
        .warmupIterations(quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS)
        .warmupTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .measurementIterations(quick ? QUICK_MEASUREMENT_ITERATIONS : MEASUREMENT_ITERATIONS)
        .measurementTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    double fast = score(results, DomsgBenchmark.class, "fast", null);
    double queued = score(results, DomsgBenchmark.class, "queued", null);
    double ask = score(results, DomsgBenchmark.class, "ask", null);
    double ipi = score(results, IpiBenchmark.class, "ipi", null);
    double lock = score(results, IpiBenchmark.class, "lock", null);
    double covered1 = score(results, BglBenchmark.class, "covered", "1");
    double removed1 = score(results, BglBenchmark.class, "removed", "1");
    double covered2 = score(results, BglBenchmark.class, "covered", "2");
    double removed2 = score(results, BglBenchmark.class, "removed", "2");

    System.out.println(String.format(Locale.ROOT, "ops/s: domsg fast %.0f, queued %.0f, ask %.0f",
        fast, queued, ask));
    System.out.println(String.format(Locale.ROOT, "counter updates/s: ipi %.0f, lock %.0f",
        ipi, lock));
    System.out.println(String.format(Locale.ROOT,
        "subsystem calls/s: 1 cpu covered %.0f removed %.0f; 2 cpus covered %.0f removed %.0f",
        covered1, removed1, covered2, removed2));
    return List.of(
        new Goal("domsg-fast-vs-ask", fast / ask, ">=", 20),
        new Goal("domsg-queued-vs-ask", queued / ask, ">=", 1),
        new Goal("ipi-vs-lock", ipi / lock, ">=", 1),
        new Goal("bgl-removed-vs-covered-1cpu", removed1 / covered1, ">=", 0.95),
        new Goal("bgl-removed-vs-covered-2cpu", removed2 / covered2, ">=", 1.5));
  }

  private static double score(Collection<RunResult> results, Class<?> benchmark, String method,
      String cpus) {
    String name = benchmark.getName() + "." + method;
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().equals(name))
        .filter(r -> cpus == null || cpus.equals(r.getParams().getParam("cpus")))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + name
            + (cpus == null ? "" : " cpus=" + cpus)));
  }
}

package ssi.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The standard JMH run of a suite: every {@code *Benchmark} class in the suite's package, one
 * fork with a small heap, 3 warm-up and 5 measured iterations of 1 s (quick: 2 and 2 of 0.5 s),
 * so each side of a ratio is measured in the same run with the same settings.
 */
public final class JmhSuites {

  private static final int WARMUP_ITERATIONS = 3;
  private static final int MEASUREMENT_ITERATIONS = 5;
  private static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
  private static final int QUICK_WARMUP_ITERATIONS = 2;
  private static final int QUICK_MEASUREMENT_ITERATIONS = 2;
  private static final TimeValue QUICK_ITERATION_TIME = TimeValue.milliseconds(500);
  private static final String FORK_HEAP = "-Xmx256m";

  private JmhSuites() {
  }

  /** Runs the benchmarks of {@code suite}'s package. */
  public static Collection<RunResult> run(Class<? extends Suite> suite, boolean quick)
      throws RunnerException {
    Options options = new OptionsBuilder()
        .include("^" + suite.getPackageName().replace(".", "\\.") + "\\..*Benchmark\\.")
        .forks(1)
        .jvmArgsAppend(FORK_HEAP)
        .warmupIterations(quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS)
        .warmupTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .measurementIterations(quick ? QUICK_MEASUREMENT_ITERATIONS : MEASUREMENT_ITERATIONS)
        .measurementTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .shouldFailOnError(true)
        .build();
    return new Runner(options).run();
  }

  /**
   * The score of {@code benchmark.method}, restricted to runs whose parameter {@code param} is
   * {@code value} when {@code param} is not null; fails clearly when JMH produced none.
   */
  public static double score(Collection<RunResult> results, Class<?> benchmark, String method,
      String param, String value) {
    String name = benchmark.getName() + "." + method;
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().equals(name))
        .filter(r -> param == null || value.equals(r.getParams().getParam(param)))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + name
            + (param == null ? "" : " " + param + "=" + value)));
  }
}

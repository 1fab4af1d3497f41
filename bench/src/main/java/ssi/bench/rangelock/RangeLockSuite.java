package ssi.bench.rangelock;

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
 * The {@code rangelock} suite of DESIGN §13, two ratios each measured side by side in one JMH
 * run: {@code disjoint-writers-vs-file-lock} (≥ 1.7) from {@link DisjointWritersBenchmark} and
 * {@code uncontended-vs-rwlock} (≤ 2) from {@link UncontendedBenchmark}. Ten benchmarks (with the
 * write-size parameter), one forked JVM each.
 */
public final class RangeLockSuite implements Suite {

  /** Full run: ~8 s of iterations per benchmark plus its JVM, about 1.7 minutes in all. */
  private static final int WARMUP_ITERATIONS = 3;
  private static final int MEASUREMENT_ITERATIONS = 5;
  private static final TimeValue ITERATION_TIME = TimeValue.seconds(1);

  /** Quick run: ~2 s of iterations per benchmark, ~35 s in all. */
  private static final int QUICK_WARMUP_ITERATIONS = 2;
  private static final int QUICK_MEASUREMENT_ITERATIONS = 2;
  private static final TimeValue QUICK_ITERATION_TIME = TimeValue.milliseconds(500);

  private static final String FORK_HEAP = "-Xmx256m";
  /** The write size the goal is measured at, and the larger one printed as a detail. */
  private static final String GOAL_WRITE = "16384";
  private static final String DETAIL_WRITE = "65536";

  @Override
  public String name() {
    return "rangelock";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    Options options = new OptionsBuilder()
        .include("^" + RangeLockSuite.class.getPackageName().replace(".", "\\.")
            + "\\..*Benchmark\\.")
        .forks(1)
        .jvmArgsAppend(FORK_HEAP)
        .warmupIterations(quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS)
        .warmupTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .measurementIterations(quick ? QUICK_MEASUREMENT_ITERATIONS : MEASUREMENT_ITERATIONS)
        .measurementTime(quick ? QUICK_ITERATION_TIME : ITERATION_TIME)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    double ranges = score(results, DisjointWritersBenchmark.class, "rangeLocks", GOAL_WRITE);
    double whole = score(results, DisjointWritersBenchmark.class, "rangeWholeFile", GOAL_WRITE);
    double file = score(results, DisjointWritersBenchmark.class, "fileLock", GOAL_WRITE);
    double ranges64 = score(results, DisjointWritersBenchmark.class, "rangeLocks", DETAIL_WRITE);
    double file64 = score(results, DisjointWritersBenchmark.class, "fileLock", DETAIL_WRITE);
    double rangeX = score(results, UncontendedBenchmark.class, "rangeExclusive", null);
    double rangeS = score(results, UncontendedBenchmark.class, "rangeShared", null);
    double rwW = score(results, UncontendedBenchmark.class, "rwWrite", null);
    double rwR = score(results, UncontendedBenchmark.class, "rwRead", null);

    System.out.println(String.format(Locale.ROOT,
        "writes/s (2 writers, 16 KiB each): disjoint range locks %.0f, whole-file lock %.0f,"
            + " range lock over the whole file %.0f; 64 KiB each: disjoint %.0f, whole-file %.0f"
            + " (ratio %.2f)", ranges, file, whole, ranges64, file64, ranges64 / file64));
    System.out.println(String.format(Locale.ROOT,
        "ns per acquire+release: range exclusive %.1f, range shared %.1f; rwlock write %.1f,"
            + " read %.1f (exclusive/write %.2f, shared/read %.2f)",
        rangeX, rangeS, rwW, rwR, rangeX / rwW, rangeS / rwR));
    return List.of(
        new Goal("disjoint-writers-vs-file-lock", ranges / file, ">=", 1.7),
        new Goal("uncontended-vs-rwlock", (rangeX + rangeS) / (rwW + rwR), "<=", 2));
  }

  private static double score(Collection<RunResult> results, Class<?> benchmark, String method,
      String writeBytes) {
    String name = benchmark.getName() + "." + method;
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().equals(name))
        .filter(r -> writeBytes == null || writeBytes.equals(r.getParams().getParam("writeBytes")))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + name));
  }
}

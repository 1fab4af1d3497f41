package ssi.bench.rangelock;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import ssi.bench.Goal;
import ssi.bench.JmhSuites;
import ssi.bench.Suite;

/**
 * The {@code rangelock} suite of DESIGN §13, two ratios each measured side by side in one JMH
 * run: {@code disjoint-writers-vs-file-lock} (≥ 1.7) from {@link DisjointWritersBenchmark} and
 * {@code uncontended-vs-rwlock} (≤ 2) from {@link UncontendedBenchmark}. Twelve benchmarks (with the
 * write-size parameter), one forked JVM each.
 */
public final class RangeLockSuite implements Suite {

  /** The write size the goal is measured at, and the larger one printed as a detail. */
  private static final String GOAL_WRITE = "16384";
  private static final String DETAIL_WRITE = "65536";

  @Override
  public String name() {
    return "rangelock";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    Collection<RunResult> results = JmhSuites.run(RangeLockSuite.class, quick);

    double ranges = JmhSuites.score(results,
        DisjointWritersBenchmark.class, "rangeLocks", "writeBytes", GOAL_WRITE);
    double whole = JmhSuites.score(results,
        DisjointWritersBenchmark.class, "rangeWholeFile", "writeBytes", GOAL_WRITE);
    double file = JmhSuites.score(results,
        DisjointWritersBenchmark.class, "fileLock", "writeBytes", GOAL_WRITE);
    double ranges64 = JmhSuites.score(results,
        DisjointWritersBenchmark.class, "rangeLocks", "writeBytes", DETAIL_WRITE);
    double file64 = JmhSuites.score(results,
        DisjointWritersBenchmark.class, "fileLock", "writeBytes", DETAIL_WRITE);
    double rangeX = JmhSuites.score(results,
        UncontendedBenchmark.class, "rangeExclusive", null, null);
    double rangeS = JmhSuites.score(results, UncontendedBenchmark.class, "rangeShared", null, null);
    double fastX = JmhSuites.score(results, UncontendedBenchmark.class, "rangeExclusiveFast",
        null, null);
    double fastS = JmhSuites.score(results, UncontendedBenchmark.class, "rangeSharedFast", null,
        null);
    double rwW = JmhSuites.score(results, UncontendedBenchmark.class, "rwWrite", null, null);
    double rwR = JmhSuites.score(results, UncontendedBenchmark.class, "rwRead", null, null);

    System.out.println(String.format(Locale.ROOT,
        "writes/s (2 writers, 16 KiB each): disjoint range locks %.0f, whole-file lock %.0f,"
            + " range lock over the whole file %.0f; 64 KiB each: disjoint %.0f, whole-file %.0f"
            + " (ratio %.2f)", ranges, file, whole, ranges64, file64, ranges64 / file64));
    System.out.println(String.format(Locale.ROOT,
        "ns per acquire+release: range exclusive %.1f, shared %.1f through tryAcquire (%.1f and"
            + " %.1f through a completed stage); rwlock write %.1f, read %.1f (exclusive/write"
            + " %.2f, shared/read %.2f)",
        fastX, fastS, rangeX, rangeS, rwW, rwR, fastX / rwW, fastS / rwR));
    return List.of(
        new Goal("disjoint-writers-vs-file-lock", ranges / file, ">=", 1.7),
        new Goal("uncontended-vs-rwlock", (fastX + fastS) / (rwW + rwR), "<=", 2));
  }

}

package ssi.bench.lwkt;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import ssi.bench.Goal;
import ssi.bench.JmhSuites;
import ssi.bench.Suite;

/**
 * The {@code lwkt} suite of DESIGN §13, five ratios each measured side by side in one JMH run:
 * {@code domsg-fast-vs-ask} (≥ 20) and {@code domsg-queued-vs-ask} (≥ 1) from
 * {@link DomsgBenchmark}, {@code ipi-vs-lock} (≥ 1) from {@link IpiBenchmark},
 * {@code bgl-removed-vs-covered-1cpu} (≥ 0.95) and {@code bgl-removed-vs-covered-2cpu} (≥ 1.5)
 * from {@link BglBenchmark}. Nine benchmarks, one forked JVM each.
 */
public final class LwktSuite implements Suite {

  @Override
  public String name() {
    return "lwkt";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    Collection<RunResult> results = JmhSuites.run(LwktSuite.class, quick);

    double fast = JmhSuites.score(results, DomsgBenchmark.class, "fast", null, null);
    double queued = JmhSuites.score(results, DomsgBenchmark.class, "queued", null, null);
    double ask = JmhSuites.score(results, DomsgBenchmark.class, "ask", null, null);
    double ipi = JmhSuites.score(results, IpiBenchmark.class, "ipi", null, null);
    double lock = JmhSuites.score(results, IpiBenchmark.class, "lock", null, null);
    double covered1 = JmhSuites.score(results, BglBenchmark.class, "covered", "cpus", "1");
    double removed1 = JmhSuites.score(results, BglBenchmark.class, "removed", "cpus", "1");
    double covered2 = JmhSuites.score(results, BglBenchmark.class, "covered", "cpus", "2");
    double removed2 = JmhSuites.score(results, BglBenchmark.class, "removed", "cpus", "2");

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

}

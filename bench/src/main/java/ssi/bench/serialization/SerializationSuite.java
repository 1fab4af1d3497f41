package ssi.bench.serialization;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import ssi.actors.SsiMessage;
import ssi.bench.Goal;
import ssi.bench.Suite;

/**
 * The {@code serialization} suite of DESIGN §13: {@code kryo-vs-jackson-bytes}, the serialized size
 * of the sample set with the project's serializer over Jackson's (target at most 0.6), and {@code
 * kryo-vs-jackson-ops}, their serialize+deserialize throughput ratio measured by {@link
 * SerializationBenchmark} in one JMH run (target at least 1.5). Both codecs are first checked to
 * round-trip every message exactly; the suite refuses to run otherwise.
 */
public final class SerializationSuite implements Suite {

  static final double BYTES_TARGET = 0.6;
  static final double OPS_TARGET = 1.5;

  /** Full run: about 30 s per benchmark plus a forked JVM each, ~75 s in all. */
  private static final int WARMUP_ITERATIONS = 10;
  private static final TimeValue WARMUP_TIME = TimeValue.seconds(1);
  private static final int MEASUREMENT_ITERATIONS = 10;
  private static final TimeValue MEASUREMENT_TIME = TimeValue.seconds(2);

  /** Quick run: about 7 s per benchmark (enough for the JIT to settle), ~25 s in all. */
  private static final int QUICK_WARMUP_ITERATIONS = 4;
  private static final int QUICK_MEASUREMENT_ITERATIONS = 3;
  private static final TimeValue QUICK_ITERATION_TIME = TimeValue.seconds(1);

  private static final String FORK_HEAP = "-Xmx512m";

  @Override
  public String name() {
    return "serialization";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    double bytesRatio;
    try (SerializationSetup setup = SerializationSetup.start()) {
      System.out.println("serializer bound to SsiMessage: " + setup.kryoSerializerName());
      checkRoundTrips(setup);
      bytesRatio = reportSizes(setup);
    }
    double opsRatio = measureThroughput(quick);
    return List.of(
        new Goal("kryo-vs-jackson-bytes", bytesRatio, "<=", BYTES_TARGET),
        new Goal("kryo-vs-jackson-ops", opsRatio, ">=", OPS_TARGET));
  }

  private static void checkRoundTrips(SerializationSetup setup) throws Exception {
    for (MessageCodec codec : List.of(setup.kryo(), setup.jackson())) {
      for (SsiMessage m : setup.messages()) {
        Object back = codec.decode(codec.encode(m), m.getClass());
        if (!m.equals(back)) {
          throw new IllegalStateException(
              codec.name() + " does not round-trip " + m + ": got " + back);
        }
      }
    }
  }

  /** Prints each message's size with both codecs; returns total Kryo bytes / total Jackson bytes. */
  private static double reportSizes(SerializationSetup setup) throws Exception {
    long kryoTotal = 0;
    long jacksonTotal = 0;
    System.out.println(String.format(Locale.ROOT, "%-18s %8s %8s %7s", "message", "kryo", "jackson",
        "ratio"));
    for (SsiMessage m : setup.messages()) {
      int k = setup.kryo().encode(m).length;
      int j = setup.jackson().encode(m).length;
      kryoTotal += k;
      jacksonTotal += j;
      System.out.println(String.format(Locale.ROOT, "%-18s %8d %8d %7.3f",
          m.getClass().getSimpleName(), k, j, (double) k / j));
    }
    double ratio = (double) kryoTotal / jacksonTotal;
    System.out.println(String.format(Locale.ROOT, "%-18s %8d %8d %7.3f", "total", kryoTotal,
        jacksonTotal, ratio));
    // The page's 4 KiB dominate the total: raw bytes against Jackson's base64 alone give ~0.75.
    long kryoPage = 0;
    long jacksonPage = 0;
    for (SsiMessage m : setup.messages()) {
      if (m instanceof SampleMessages.PageGrant) {
        kryoPage += setup.kryo().encode(m).length;
        jacksonPage += setup.jackson().encode(m).length;
      }
    }
    System.out.println(String.format(Locale.ROOT, "%-18s %8d %8d %7.3f", "without page data",
        kryoTotal - kryoPage, jacksonTotal - jacksonPage,
        (double) (kryoTotal - kryoPage) / (jacksonTotal - jacksonPage)));
    return ratio;
  }

  private static double measureThroughput(boolean quick) throws Exception {
    Options options = new OptionsBuilder()
        .include(SerializationBenchmark.class.getName() + "\\.")
        .forks(1)
        .jvmArgsAppend(FORK_HEAP)
        .warmupIterations(quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS)
        .warmupTime(quick ? QUICK_ITERATION_TIME : WARMUP_TIME)
        .measurementIterations(quick ? QUICK_MEASUREMENT_ITERATIONS : MEASUREMENT_ITERATIONS)
        .measurementTime(quick ? QUICK_ITERATION_TIME : MEASUREMENT_TIME)
        .timeUnit(TimeUnit.SECONDS)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    double kryo = score(results, "kryo");
    double jackson = score(results, "jackson");
    System.out.println(String.format(Locale.ROOT,
        "round trips of the set per second: kryo %.0f, jackson %.0f", kryo, jackson));
    return kryo / jackson;
  }

  private static double score(Collection<RunResult> results, String method) {
    String benchmark = SerializationBenchmark.class.getName() + "." + method;
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().equals(benchmark))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + benchmark));
  }
}

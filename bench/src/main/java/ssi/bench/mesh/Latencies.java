package ssi.bench.mesh;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Round-trip times in nanoseconds, sorted once, with their mean and percentiles (the nearest-rank
 * method on the sorted array: the p-th percentile is the smallest sample with at least p% of the
 * samples at or below it).
 */
final class Latencies {

  private static final double NANOS_PER_MICRO = 1e3;

  private final long[] sorted;

  /** Takes ownership of {@code samples} (at least one) and sorts them. */
  Latencies(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    this.sorted = samples;
    Arrays.sort(sorted);
  }

  /** The samples of several runs together. */
  static Latencies of(List<long[]> runs) {
    long[] all = new long[runs.stream().mapToInt(r -> r.length).sum()];
    int at = 0;
    for (long[] r : runs) {
      System.arraycopy(r, 0, all, at, r.length);
      at += r.length;
    }
    return new Latencies(all);
  }

  /** How many samples. */
  int count() {
    return sorted.length;
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}), in nanoseconds. */
  long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The median, in nanoseconds. */
  long median() {
    return percentile(50);
  }

  /** The mean, in nanoseconds. */
  double mean() {
    double sum = 0;
    for (long s : sorted) {
      sum += s;
    }
    return sum / sorted.length;
  }

  /** One line: count, mean, p50, p90, p99, p99.9 and max, in microseconds. */
  String summary() {
    return String.format(Locale.ROOT,
        "n=%d mean=%.1f p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f us", sorted.length,
        mean() / NANOS_PER_MICRO, percentile(50) / NANOS_PER_MICRO,
        percentile(90) / NANOS_PER_MICRO, percentile(99) / NANOS_PER_MICRO,
        percentile(99.9) / NANOS_PER_MICRO, sorted[sorted.length - 1] / NANOS_PER_MICRO);
  }
}

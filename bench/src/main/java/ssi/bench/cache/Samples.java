package ssi.bench.cache;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Timings in nanoseconds, sorted once, with their percentiles (nearest rank: the p-th percentile
 * is the smallest sample with at least p% of the samples at or below it).
 */
final class Samples {

  private final long[] sorted;

  Samples(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    this.sorted = samples.clone();
    Arrays.sort(sorted);
  }

  static Samples of(List<long[]> blocks) {
    return new Samples(blocks.stream().flatMapToLong(Arrays::stream).toArray());
  }

  int count() {
    return sorted.length;
  }

  long percentile(double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  long median() {
    return percentile(50);
  }

  double mean() {
    return Arrays.stream(sorted).average().orElse(0);
  }

  /** One line in microseconds: count, mean, p50, p90, p99, max. */
  String micros() {
    return String.format(Locale.ROOT, "n=%d mean=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f us",
        sorted.length, mean() / 1e3, median() / 1e3, percentile(90) / 1e3, percentile(99) / 1e3,
        sorted[sorted.length - 1] / 1e3);
  }
}

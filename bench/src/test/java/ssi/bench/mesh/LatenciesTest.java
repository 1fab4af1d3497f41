package ssi.bench.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles over the sorted samples. */
class LatenciesTest {

  @Test
  void percentilesUseTheNearestRank() {
    long[] samples = new long[100];
    for (int i = 0; i < 100; i++) {
      samples[i] = 100 - i; // 1..100, unsorted
    }
    Latencies l = new Latencies(samples);
    assertEquals(50, l.median());
    assertEquals(99, l.percentile(99));
    assertEquals(100, l.percentile(99.9));
    assertEquals(1, l.percentile(0.5));
    assertEquals(50.5, l.mean(), 1e-9);
  }

  @Test
  void runsAreJoinedAndEmptyOrBadInputIsRefused() {
    Latencies l = Latencies.of(List.of(new long[] {3, 1}, new long[] {2}));
    assertEquals(3, l.count());
    assertEquals(2, l.median());
    assertThrows(IllegalArgumentException.class, () -> new Latencies(new long[0]));
    assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
  }
}

package ssi.actors.bgl;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import ssi.actors.lwkt.Port;

/**
 * A registered subsystem: whether the BGL covers it, the ports its work goes to, and its live
 * figures (updated by whichever domain runs its work, read by {@code /ssi/bgl}).
 */
final class Subsystem {

  final String name;
  final boolean covered;
  final List<Port<DomainCall, Object>> ports;
  private final List<String> domains;
  private final LongAdder ops = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder holdNanos = new LongAdder();
  private final LongAccumulator maxWait = new LongAccumulator(Math::max, 0);
  private final LongAccumulator maxHold = new LongAccumulator(Math::max, 0);

  Subsystem(String name, boolean covered, List<Port<DomainCall, Object>> ports,
      List<String> domains) {
    this.name = name;
    this.covered = covered;
    this.ports = List.copyOf(ports);
    this.domains = List.copyOf(domains);
  }

  void record(long wait, long hold, boolean ok) {
    ops.increment();
    if (!ok) {
      failed.increment();
    }
    waitNanos.add(wait);
    holdNanos.add(hold);
    maxWait.accumulate(wait);
    maxHold.accumulate(hold);
  }

  SubsystemStats stats() {
    long n = ops.sum();
    return new SubsystemStats(name, covered, domains, n, failed.sum(),
        micros(n == 0 ? 0 : (double) waitNanos.sum() / n), micros(maxWait.get()),
        micros(n == 0 ? 0 : (double) holdNanos.sum() / n), micros(maxHold.get()));
  }

  private static double micros(double nanos) {
    return Math.round(nanos / TimeUnit.MICROSECONDS.toNanos(1) * 100) / 100.0;
  }
}

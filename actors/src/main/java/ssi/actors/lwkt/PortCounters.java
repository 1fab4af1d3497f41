package ssi.actors.lwkt;

import java.util.concurrent.atomic.LongAdder;

/** A port's live counters; {@link LongAdder}s because any thread may send or reply. */
final class PortCounters {

  final LongAdder sent = new LongAdder();
  final LongAdder inline = new LongAdder();
  final LongAdder queued = new LongAdder();
  final LongAdder replied = new LongAdder();
  final LongAdder aborted = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder timedOut = new LongAdder();
  final LongAdder duplicates = new LongAdder();

  void ended(MsgState terminal) {
    switch (terminal) {
      case REPLIED -> replied.increment();
      case ABORTED -> aborted.increment();
      case DROPPED -> dropped.increment();
      case TIMED_OUT -> timedOut.increment();
      case DONE_INLINE -> inline.increment();
      default -> throw new IllegalArgumentException("not terminal: " + terminal);
    }
  }

  PortStats snapshot(long id, String name, PortKind kind, boolean closed) {
    // Read the end counters before `sent` so a racing send can only make inFlight look larger.
    long in = inline.sum();
    long rep = replied.sum();
    long ab = aborted.sum();
    long dr = dropped.sum();
    long to = timedOut.sum();
    long s = sent.sum();
    return new PortStats(id, name, kind, closed, s, in, queued.sum(), rep, ab, dr, to,
        duplicates.sum(), Math.max(0, s - in - rep - ab - dr - to));
  }
}

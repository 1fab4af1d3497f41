package ssi.bench.migration;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.locks.LockSupport;

/**
 * Used heap after full collections: {@code System.gc()} (a full, stop-the-world collection with
 * the JVM's default G1) several times, a short pause after each so finalization and reference
 * processing settle, and the smallest reading of {@link MemoryMXBean}'s used heap kept — the
 * cluster keeps allocating a little between two collections, never less.
 */
final class Heap {

  private static final int COLLECTIONS = 4;
  private static final long SETTLE_NANOS = 50_000_000;
  static final double MIB = 1024.0 * 1024.0;
  static final double KIB = 1024.0;

  private Heap() {
  }

  /** Bytes of used heap after full collections. */
  static long usedAfterFullGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < COLLECTIONS; i++) {
      System.gc();
      LockSupport.parkNanos(SETTLE_NANOS);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}

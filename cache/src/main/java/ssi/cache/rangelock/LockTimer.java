package ssi.cache.rangelock;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The default timer of lock timeouts: one daemon thread for the whole JVM, created on first use.
 * Expiring a waiter is a few list operations; the callbacks of the locks it lets through run on
 * this thread, so they should hand heavy work off.
 */
final class LockTimer {

  private LockTimer() {}

  /** Lazily initialised, so a JVM that never times a lock out never starts the thread. */
  private static final class Holder {
    static final ScheduledExecutorService TIMER = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "ssi-rangelock-timer");
        t.setDaemon(true);
        return t;
      });
      // Granted locks cancel their timeouts; drop those tasks at once rather than at expiry.
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  static ScheduledExecutorService shared() {
    return Holder.TIMER;
  }

  /**
   * A coarse wall clock for the {@code since} of a lock (what {@code GET /ssi/locks} shows), read
   * on every acquire: a volatile read instead of {@code System.currentTimeMillis()} (about 30 ns
   * here, a third of an uncontended acquire + release). Ticks every 10 ms on the timer thread.
   */
  static long coarseMillis() {
    return Clock.now;
  }

  private static final class Clock {
    static volatile long now = System.currentTimeMillis();

    static {
      shared().scheduleAtFixedRate(() -> now = System.currentTimeMillis(), 10, 10,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }
}

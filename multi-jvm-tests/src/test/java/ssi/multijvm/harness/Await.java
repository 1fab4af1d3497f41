package ssi.multijvm.harness;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes; never a fixed sleep. */
public final class Await {

  private static final long POLL_NANOS = Duration.ofMillis(250).toNanos();

  /** A check that throws (an AssertionError or any exception) while the condition is false. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  private Await() {
  }

  /** Runs {@code check} until it passes; after {@code timeout} fails with its last error. */
  public static void until(Duration timeout, String what, Check check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last;
    do {
      try {
        check.run();
        return;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      LockSupport.parkNanos(POLL_NANOS);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what
        + "; last: " + last.getMessage(), last);
  }
}

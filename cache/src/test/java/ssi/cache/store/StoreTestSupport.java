package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/** Waiting on page-store replies with deadlines, and page contents that say where they belong. */
final class StoreTestSupport {

  /** Longest any single store operation may take in a test before it counts as a hang. */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private StoreTestSupport() {
  }

  /** The reply, or a failure if none arrives within {@link #DEADLINE}. */
  static <T> Reply<T> await(CompletionStage<Reply<T>> stage) {
    return await(stage, DEADLINE);
  }

  /** The reply, or a failure if none arrives within {@code deadline}. */
  static <T> Reply<T> await(CompletionStage<Reply<T>> stage, Duration deadline) {
    try {
      return stage.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail("no reply within " + deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    } catch (ExecutionException e) {
      return fail("a store stage completed exceptionally (it must reply with an errno)",
          e.getCause());
    }
  }

  /** The value of an OK reply; fails on an errno. */
  static <T> T ok(CompletionStage<Reply<T>> stage) {
    Reply<T> r = await(stage);
    assertEquals(Errno.OK, r.errno(), "errno");
    return r.value();
  }

  /** Asserts the reply's errno. */
  static void assertErrno(Errno expected, CompletionStage<? extends Reply<?>> stage) {
    @SuppressWarnings("unchecked")
    Reply<Object> r = await((CompletionStage<Reply<Object>>) stage);
    assertEquals(expected, r.errno(), "errno");
  }

  /**
   * Repeats {@code attempt} until it replies OK, failing after {@code deadline} (polling like
   * awaitAssert: a short pause between attempts, so a store that fails fast is not hammered).
   */
  static <T> T awaitOk(Supplier<CompletionStage<Reply<T>>> attempt, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Reply<T> last = null;
    while (System.nanoTime() - end < 0) {
      last = await(attempt.get());
      if (last.isOk()) {
        return last.value();
      }
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
          POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)).join();
    }
    return fail("still " + (last == null ? "no reply" : last.errno()) + " after " + deadline);
  }

  /** A page whose bytes are derived from (object, page, serial), so any mix-up shows. */
  static Page page(long object, long number, long serial, int pageSize) {
    byte[] data = new byte[pageSize];
    long seed = object * 1_000_003 + number * 7919 + serial;
    for (int i = 0; i < data.length; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      data[i] = (byte) (seed >>> 56);
    }
    return new Page(number, serial, data);
  }

  /** Whether the bytes are all zero. */
  static boolean zeros(byte[] data, int from, int to) {
    byte[] z = new byte[to - from];
    return Arrays.equals(data, from, to, z, 0, z.length);
  }
}

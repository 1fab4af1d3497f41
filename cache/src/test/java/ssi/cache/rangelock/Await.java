package ssi.cache.rangelock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/** Waiting on lock stages with a deadline, for the range lock tests. */
final class Await {

  /** How long a test waits for a stage that must complete. */
  static final long DEADLINE_SECONDS = 10;

  private Await() {}

  /** The stage's reply, or a failure if it does not complete within the deadline. */
  static <T> Reply<T> reply(CompletionStage<Reply<T>> stage) {
    try {
      return stage.toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("lock stage did not complete in " + DEADLINE_SECONDS + " s", e);
    }
  }

  /** The granted value; fails unless the reply is OK. */
  static <T> T granted(CompletionStage<Reply<T>> stage) {
    Reply<T> r = reply(stage);
    assertTrue(r.isOk(), "expected a grant, got " + r.errno());
    return r.value();
  }

  /** Asserts the stage is already completed with OK (the fast path) and returns the value. */
  static <T> T grantedNow(CompletionStage<Reply<T>> stage) {
    Reply<T> r = stage.toCompletableFuture().getNow(null);
    assertTrue(r != null && r.isOk(), "expected an immediate grant, got " + r);
    return r.value();
  }

  /** Asserts the stage is still waiting. */
  static void pending(CompletionStage<?> stage) {
    assertFalse(stage.toCompletableFuture().isDone(), "expected the request to wait");
  }

  /** The errno of a reply that must be immediately available. */
  static Errno errnoNow(CompletionStage<? extends Reply<?>> stage) {
    Reply<?> r = stage.toCompletableFuture().getNow(null);
    assertTrue(r != null, "expected an immediate reply");
    return r.errno();
  }
}

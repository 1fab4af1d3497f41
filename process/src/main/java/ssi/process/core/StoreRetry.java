package ssi.process.core;

import akka.actor.typed.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * Tries a page-store operation again when it answers EIO. A store found down answers EIO at once
 * to everyone but one probe a second (see the cache module's store health), so a spawn that
 * arrives while it comes back should wait a moment rather than fail.
 */
final class StoreRetry {

  /** Attempts, a second apart. */
  static final int ATTEMPTS = 4;

  private StoreRetry() {
  }

  static <T> CompletionStage<Reply<T>> retry(ActorSystem<?> system,
      Supplier<CompletionStage<Reply<T>>> op) {
    return attempt(system, op, ATTEMPTS);
  }

  private static <T> CompletionStage<Reply<T>> attempt(ActorSystem<?> system,
      Supplier<CompletionStage<Reply<T>>> op, int left) {
    return op.get().thenCompose(r -> r.errno() != Errno.EIO || left <= 1
        ? CompletableFuture.completedFuture(r)
        : akka.pattern.Patterns.after(Duration.ofSeconds(1), system.classicSystem().scheduler(),
            system.executionContext(), () -> attempt(system, op, left - 1)));
  }
}

package ssi.process.core;

import akka.actor.typed.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.namespace.Namespace;

/** Opens a cluster file by path for a descriptor, creating it (and its parents) when missing. */
final class OpenFile {

  private OpenFile() {
  }

  static CompletionStage<Reply<GlobalFileHandle>> open(ActorSystem<?> system, String path) {
    return StoreRetry.retry(system, () -> openOnce(system, path));
  }

  private static CompletionStage<Reply<GlobalFileHandle>> openOnce(ActorSystem<?> system,
      String path) {
    Namespace ns = Namespace.get(system);
    return ns.parent(path, true).thenCompose(p -> {
      if (!p.isOk()) {
        return CompletableFuture.completedFuture(Reply.<GlobalFileHandle>error(p.errno()));
      }
      return ns.open(p.value().dir(), p.value().name()).thenCompose(o -> o.errno() != Errno.ENOENT
          ? CompletableFuture.completedFuture(o)
          : ns.create(p.value().dir(), p.value().name()).thenCompose(c -> c.errno() == Errno.EEXIST
              ? ns.open(p.value().dir(), p.value().name()) // created concurrently
              : CompletableFuture.completedFuture(c)));
    });
  }
}

package ssi.cache.pagecache;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.HashMap;
import java.util.Map;
import ssi.cache.directory.BackingStore;

/**
 * Watches the directory incarnations this node's page cache sends to directly (a system actor):
 * when one stops — passivated, handed over, its node gone — the cache forgets it at once and
 * sends what is pending for the object through Cluster Sharding again, which starts the next
 * incarnation, instead of losing messages to a stopped actor until the re-send timer.
 */
final class DirectoryWatch {

  interface Command extends NoSerializationVerificationNeeded {
  }

  /** Watch {@code ref}, the directory of {@code obj}. */
  record Watch(long obj, ActorRef<BackingStore.Command> ref) implements Command {
  }

  /** Stop watching {@code ref} (the cache forgot it). */
  record Unwatch(ActorRef<BackingStore.Command> ref) implements Command {
  }

  private record Gone(long obj, ActorRef<BackingStore.Command> ref) implements Command {
  }

  private DirectoryWatch() {
  }

  static Behavior<Command> create(PageCache cache) {
    return Behaviors.setup(ctx -> {
      Map<ActorRef<BackingStore.Command>, Long> watched = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Watch.class, w -> {
            if (watched.putIfAbsent(w.ref(), w.obj()) == null) {
              ctx.watchWith(w.ref(), new Gone(w.obj(), w.ref()));
            }
            return Behaviors.same();
          })
          .onMessage(Unwatch.class, u -> {
            if (watched.remove(u.ref()) != null) {
              ctx.unwatch(u.ref());
            }
            return Behaviors.same();
          })
          .onMessage(Gone.class, g -> {
            watched.remove(g.ref());
            cache.directoryGone(g.obj(), g.ref());
            return Behaviors.same();
          })
          .build();
    });
  }
}

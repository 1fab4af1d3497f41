package ssi.files.locks;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import ssi.actors.SsiMessage;

/**
 * This node's end of the lock servers' callbacks (a system actor named {@value #NAME} on every
 * node, so a server reaches it by path): revokes and recoveries, handed to {@link NodeLocks}
 * (bookkeeping under short monitors, nothing blocks), and glimpses; a periodic sweep that
 * gives back extents unused for {@code ssi.files.extent-idle}; and a write-back tick that commits
 * deferred lengths every {@code ssi.files.attribute-write-back}.
 */
public final class LockAgent {

  /** The actor's name under {@code /system}. */
  public static final String NAME = "ssi-range-locks";

  /** What a lock server tells a node. */
  public interface Command extends SsiMessage {
  }

  /** Give back extent {@code id} of file {@code obj} once its local users are done. */
  public record Revoke(long obj, long id) implements Command {
  }

  /**
   * The server incarnation {@code epoch} of {@code obj} starts: give up every extent of an older
   * one, then answer {@link FileObject.Recovered}.
   */
  public record Recover(long obj, long epoch, ActorRef<FileObject.Command> replyTo)
      implements Command {
  }

  /**
   * A glimpse: answer this node's deferred attributes of {@code obj} (a length of -1 when it
   * defers none), without giving anything up.
   */
  public record GlimpseAttrs(long obj, ActorRef<FileAttrs> replyTo) implements Command {
  }

  private enum Sweep implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum WriteBack implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private LockAgent() {
  }

  static Behavior<Command> create(NodeLocks locks, String self, Duration idle,
      Duration writeBack) {
    Duration tick = idle.dividedBy(2);
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, tick, tick);
      timers.startTimerWithFixedDelay(WriteBack.INSTANCE, writeBack, writeBack);
      return Behaviors.receive(Command.class)
          .onMessage(Revoke.class, r -> {
            locks.revoke(r.obj(), r.id());
            return Behaviors.same();
          })
          .onMessage(Recover.class, r -> {
            locks.recover(r.obj(), r.epoch(),
                () -> r.replyTo().tell(new FileObject.Recovered(self, r.epoch())));
            return Behaviors.same();
          })
          .onMessage(GlimpseAttrs.class, g -> {
            FileAttrs a = locks.localAttrs(g.obj());
            g.replyTo().tell(a != null ? a : new FileAttrs(-1, 0));
            return Behaviors.same();
          })
          .onMessage(WriteBack.class, w -> {
            locks.commitAll();
            return Behaviors.same();
          })
          .onMessage(Sweep.class, s -> {
            locks.sweep(System.nanoTime(), idle.toNanos());
            return Behaviors.same();
          })
          .build();
    });
  }
}

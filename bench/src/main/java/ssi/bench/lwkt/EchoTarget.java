package ssi.bench.lwkt;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;

/**
 * The benchmark's target: answers {@code n + 1}, either to an Akka ask or to an LWKT message
 * queued to its port, so both paths do the same work in the same actor.
 */
final class EchoTarget extends AbstractBehavior<EchoTarget.Command> {

  /** The target's protocol (local only). */
  interface Command extends NoSerializationVerificationNeeded {
  }

  /** The Akka-ask baseline's request. */
  record Ask(int n, ActorRef<Integer> replyTo) implements Command {
  }

  /** An LWKT message queued to the target's port. */
  record Queued(Msg<Integer, Integer> msg) implements Command {
  }

  private EchoTarget(ActorContext<Command> context) {
    super(context);
  }

  static Behavior<Command> create() {
    return Behaviors.setup(EchoTarget::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ask.class, this::onAsk)
        .onMessage(Queued.class, this::onQueued)
        .build();
  }

  private Behavior<Command> onAsk(Ask ask) {
    ask.replyTo().tell(ask.n() + 1);
    return this;
  }

  private Behavior<Command> onQueued(Queued q) {
    if (q.msg().begin()) {
      Lwkt.replyValue(q.msg(), q.msg().body() + 1);
    }
    return this;
  }
}

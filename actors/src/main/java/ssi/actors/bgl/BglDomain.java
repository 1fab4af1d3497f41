package ssi.actors.bgl;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Map;
import ssi.actors.lwkt.Msg;

/**
 * The node's Big Giant Lock as an actor: every operation of every covered subsystem runs here, one
 * at a time, in arrival order — exactly what the BGL meant in DragonFly before a subsystem was
 * taken out from under it. Reached through its serializer port ({@code bgl}) by
 * {@link Domains#call}.
 */
public final class BglDomain extends AbstractBehavior<BglDomain.Command> {

  /** The BGL's protocol; node-local (it carries code), so not an {@code SsiMessage}. */
  public interface Command extends NoSerializationVerificationNeeded {
  }

  /** An operation queued to the BGL port. */
  record Run(Msg<DomainCall, Object> msg) implements Command {
  }

  private final Map<String, Subsystem> subsystems;

  private BglDomain(ActorContext<Command> context, Map<String, Subsystem> subsystems) {
    super(context);
    this.subsystems = subsystems;
  }

  static Behavior<Command> create(Map<String, Subsystem> subsystems) {
    return Behaviors.setup(context -> new BglDomain(context, subsystems));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .build();
  }

  private Behavior<Command> onRun(Run run) {
    if (run.msg().begin()) {
      DomainRunner.run(run.msg(), subsystems);
    }
    return this;
  }
}

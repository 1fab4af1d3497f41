package ssi.process.migration;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.stream.javadsl.SourceQueueWithComplete;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ssi.actors.SsiMessage;

/**
 * Each node's log of migrations: every piece of every migration in the cluster reaches every
 * node's log (the node where it happened sends it to all logs it knows through the
 * receptionist), so {@code GET /ssi/migrations} and the live stream answer from any node. Keeps
 * the last {@code ssi.process.max-migrations} migrations.
 */
public final class MigrationLog extends AbstractBehavior<MigrationLog.Command> {

  /** The logs of all nodes. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "ssi-migration-log");

  /** What the log takes; {@link MigrationEvent}s arrive from every node. */
  public interface Command extends SsiMessage {
  }

  /** Send {@code event} to every node's log (this one included). */
  public record Publish(MigrationEvent event) implements Command, akka.actor.NoSerializationVerificationNeeded {
  }

  /** The migrations kept, oldest first. */
  public record GetAll(ActorRef<List<MigrationRecord>> replyTo) implements Command, akka.actor.NoSerializationVerificationNeeded {
  }

  private record Peers(Set<ActorRef<Command>> logs) implements Command, akka.actor.NoSerializationVerificationNeeded {
  }

  private final int max;
  private final SourceQueueWithComplete<MigrationEvent> live;
  private final LinkedHashMap<String, MigrationRecord> records = new LinkedHashMap<>();
  private Set<ActorRef<Command>> peers = Set.of();

  static Behavior<Command> create(int max, SourceQueueWithComplete<MigrationEvent> live) {
    return Behaviors.setup(ctx -> new MigrationLog(ctx, max, live));
  }

  private MigrationLog(ActorContext<Command> ctx, int max,
      SourceQueueWithComplete<MigrationEvent> live) {
    super(ctx);
    this.max = max;
    this.live = live;
    ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
    ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class,
        l -> new Peers(l.getServiceInstances(KEY)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY, adapter));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(MigrationEvent.class, this::onEvent)
        .onMessage(GetAll.class, this::onGetAll)
        .onMessage(Peers.class, p -> {
          peers = p.logs();
          return this;
        })
        .build();
  }

  private Behavior<Command> onPublish(Publish p) {
    onEvent(p.event());
    for (ActorRef<Command> log : peers) {
      if (!log.equals(getContext().getSelf())) {
        log.tell(p.event());
      }
    }
    return this;
  }

  private Behavior<Command> onEvent(MigrationEvent e) {
    MigrationRecord r = records.get(e.migration());
    records.put(e.migration(), r == null ? MigrationRecord.of(e) : r.with(e));
    while (records.size() > max) {
      String oldest = records.keySet().iterator().next();
      records.remove(oldest);
    }
    live.offer(e); // dropped (oldest first) when no one keeps up: the history above stays
    return this;
  }

  private Behavior<Command> onGetAll(GetAll g) {
    g.replyTo().tell(List.copyOf(new ArrayList<>(records.values())));
    return this;
  }

  /** The record of {@code id} if kept (for tests). */
  Map<String, MigrationRecord> records() {
    return Map.copyOf(records);
  }
}

package ssi.process.migration;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.stream.javadsl.SourceQueueWithComplete;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ssi.actors.SsiMessage;

/**
 * Each node's log of migrations: every piece of every migration in the cluster reaches every
 * node's log (the node where it happened sends it to the log of every member that is up), so {@code GET /ssi/migrations} and the live stream answer from any node. Keeps
 * the last {@code ssi.process.max-migrations} migrations.
 */
public final class MigrationLog extends AbstractBehavior<MigrationLog.Command> {

  /** The log's path on every node. */
  public static final String PATH = "/system/ssi-migration-log";

  /** What the log takes; {@link MigrationEvent}s arrive from every node. */
  public interface Command extends SsiMessage {
  }

  /** Send {@code event} to every node's log (this one included). */
  public record Publish(MigrationEvent event)
      implements Command, NoSerializationVerificationNeeded {
  }

  /** The migrations kept, oldest first. */
  public record GetAll(ActorRef<List<MigrationRecord>> replyTo)
      implements Command, NoSerializationVerificationNeeded {
  }

  private final int max;
  private final SourceQueueWithComplete<MigrationEvent> live;
  private final LinkedHashMap<String, MigrationRecord> records = new LinkedHashMap<>();

  static Behavior<Command> create(int max, SourceQueueWithComplete<MigrationEvent> live) {
    return Behaviors.setup(ctx -> new MigrationLog(ctx, max, live));
  }

  private MigrationLog(ActorContext<Command> ctx, int max,
      SourceQueueWithComplete<MigrationEvent> live) {
    super(ctx);
    this.max = max;
    this.live = live;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(MigrationEvent.class, this::onEvent)
        .onMessage(GetAll.class, this::onGetAll)
        .build();
  }

  /**
   * Sends the event to the log of every member that is up, by path (the membership this node
   * sees now, not an eventually consistent registry: a log that a piece skipped would show the
   * migration unfinished).
   */
  private Behavior<Command> onPublish(Publish p) {
    onEvent(p.event());
    var resolver = akka.actor.typed.ActorRefResolver.get(getContext().getSystem());
    for (akka.cluster.Member m : akka.cluster.typed.Cluster.get(getContext().getSystem()).state()
        .getMembers()) {
      if (m.status() == akka.cluster.MemberStatus.up()
          && !m.address().equals(akka.cluster.typed.Cluster.get(getContext().getSystem())
              .selfMember().address())) {
        resolver.<Command>resolveActorRef(m.address() + PATH).tell(p.event());
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

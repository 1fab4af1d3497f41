package ssi.process.migration;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.japi.Pair;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.BroadcastHub;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import java.util.List;
import java.util.concurrent.CompletionStage;
import ssi.process.ProcessSettings;

/**
 * This node's view of migrations (an Akka extension): the history ({@link #all}), the live
 * stream of pieces ({@link #live}, one subscriber per {@code GET /ssi/migrations/stream}), and
 * {@link #publish} for the process code that moves things.
 */
public final class Migrations implements Extension {

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final ActorRef<MigrationLog.Command> log;
  private final Source<MigrationEvent, NotUsed> live;
  private final ProcessSettings settings;

  private Migrations(ActorSystem<?> system) {
    this.system = system;
    this.settings = ProcessSettings.from(system.settings().config());
    Pair<SourceQueueWithComplete<MigrationEvent>, Source<MigrationEvent, NotUsed>> hub =
        Source.<MigrationEvent>queue(1024, OverflowStrategy.dropHead())
            .toMat(BroadcastHub.of(MigrationEvent.class, 256), Keep.both())
            .run(system);
    // A consumer that is always there, so the hub never holds events back for late subscribers.
    hub.second().runWith(Sink.ignore(), system);
    this.live = hub.second();
    this.log = system.systemActorOf(MigrationLog.create(settings.maxMigrations(), hub.first()),
        MigrationLog.PATH.substring("/system/".length()), Props.empty());
  }

  /** This node's migrations view. */
  public static Migrations get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Tells every node's log about {@code event}. */
  public void publish(MigrationEvent event) {
    log.tell(new MigrationLog.Publish(event));
  }

  /** The migrations this node knows of, oldest first. */
  public CompletionStage<List<MigrationRecord>> all() {
    return AskPattern.ask(log, MigrationLog.GetAll::new, settings.askTimeout(),
        system.scheduler());
  }

  /** Pieces from now on, as they happen anywhere in the cluster. */
  public Source<MigrationEvent, NotUsed> live() {
    return live;
  }

  private static final class Id extends ExtensionId<Migrations> {
    @Override
    public Migrations createExtension(ActorSystem<?> system) {
      return new Migrations(system);
    }
  }
}

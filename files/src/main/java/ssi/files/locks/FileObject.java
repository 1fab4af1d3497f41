package ssi.files.locks;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.Unsubscribe;
import java.time.Duration;
import akka.actor.typed.javadsl.AskPattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.files.FilesSettings;

/**
 * The lock server of one file (a Cluster Sharding entity, id = the object id): which node holds
 * which extent of the file ({@link ExtentServer}). Nodes ask for extents ({@link Acquire}) when
 * their cached ones do not cover a lock, and give them back ({@link Release}) when revoked or
 * idle; the server revokes through each node's {@link LockAgent}.
 *
 * <p>Failures. A node that leaves the cluster loses its extents at once. A revoked extent not
 * given back within {@code ssi.files.lock-lease} is let go with a warning (the node is stuck).
 * The server's own state is soft: when the entity starts (first use, after passivation, or on
 * another node after its node died), it takes a fresh epoch and asks every member to give up
 * the extents of older incarnations ({@link LockAgent.Recover}); it grants nothing until all
 * have answered (or left, or the lease passed). So no extent granted by a dead incarnation is
 * ever used beside one granted by the new one.
 */
public final class FileObject extends AbstractBehavior<FileObject.Command> {

  /** The sharded entity type; the entity id is the object id in decimal. */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ssi-file");

  /** Everything a file's lock server is told. */
  public interface Command extends SsiMessage {
  }

  /**
   * Node {@code node} (whose agent is {@code agent}) asks for extent {@code id} over
   * {@code [start, end)}; answered with the grant, or EINVAL for a bad range, EHOSTDOWN when the
   * node is not a member. The node sends {@link Release} with the same id when done, also when
   * it stopped waiting.
   */
  public record Acquire(String node, long id, boolean exclusive, long start, long end,
      ActorRef<LockAgent.Command> agent, ActorRef<Reply<ExtentGrant>> replyTo)
      implements Command {
  }

  /** Gives back (held) or gives up (waiting) extent {@code id}. */
  public record Release(long id) implements Command {
  }

  /**
   * Revoked extent {@code id} is still in use, but only over {@code [start, end)} (inside what
   * was granted): the rest is free for waiters at once.
   */
  public record Shrink(long id, long start, long end) implements Command {
  }

  /**
   * A glimpse for {@code node}: the attributes deferred by the node holding an exclusive extent
   * to the end of the file, asked of it without revoking anything; null when none does.
   */
  public record Glimpse(String node, ActorRef<Reply<FileAttrs>> replyTo) implements Command {
  }

  /** Node {@code node} has given up every extent of incarnations before {@code epoch}. */
  public record Recovered(String node, long epoch) implements Command {
  }

  private record NodeGone(String node) implements Command, NoSerializationVerificationNeeded {
  }

  private enum Tick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** Asks the members that have not answered the recovery again (a message may be lost). */
  private enum RecoverAgain implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private static final Duration RECOVER_AGAIN = Duration.ofSeconds(1);

  /** What the server keeps with a request. */
  record Caller(ActorRef<LockAgent.Command> agent, ActorRef<Reply<ExtentGrant>> replyTo) {
  }

  private final long obj;
  private final long epoch;
  private final FilesSettings settings;
  private final ExtentServer<Caller> server = ExtentServer.paused();
  private final Set<String> recovering = new HashSet<>();
  private final List<Glimpse> glimpses = new ArrayList<>();
  private final long recoveryDeadline;
  private final NodeLocks registry;
  private final akka.actor.typed.javadsl.TimerScheduler<Command> timers;
  private final ActorRef<ClusterEvent.MemberRemoved> removals;

  /** Registers the entity type on this node (idempotent) and starts its lock agent. */
  public static void init(ActorSystem<?> system) {
    FilesSettings settings = FilesSettings.from(system.settings().config());
    NodeLocks.get(system);
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
            ctx -> create(Long.parseLong(ctx.getEntityId())))
        .withSettings(ClusterShardingSettings.create(system)
            .withPassivateIdleEntityAfter(settings.passivateAfter())));
  }

  static Behavior<Command> create(long obj) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      FilesSettings settings = FilesSettings.from(ctx.getSystem().settings().config());
      Duration tick = settings.lockLease().dividedBy(4);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, tick, tick);
      timers.startTimerWithFixedDelay(RecoverAgain.INSTANCE, RECOVER_AGAIN, RECOVER_AGAIN);
      return new FileObject(ctx, obj, settings, timers);
    }));
  }

  private FileObject(ActorContext<Command> ctx, long obj, FilesSettings settings,
      akka.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(ctx);
    this.timers = timers;
    this.obj = obj;
    this.settings = settings;
    // Later incarnations get larger epochs (the clock moves on between two of them).
    this.epoch = (System.currentTimeMillis() << 12) | ThreadLocalRandom.current().nextInt(4096);
    this.registry = NodeLocks.get(ctx.getSystem());
    Cluster cluster = Cluster.get(ctx.getSystem());
    this.removals = ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
        e -> new NodeGone(e.member().address().toString()));
    cluster.subscriptions().tell(Subscribe.create(removals, ClusterEvent.MemberRemoved.class));
    for (Member m : cluster.state().getMembers()) {
      if (live(m.status())) {
        recovering.add(m.address().toString());
      }
    }
    askRecovery();
    this.recoveryDeadline = System.nanoTime() + settings.lockLease().toNanos();
    if (recovering.isEmpty()) {
      resume();
    }
    publish();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Release.class, this::onRelease)
        .onMessage(Shrink.class, m -> {
          apply(server.shrink(m.id(), m.start(), m.end(), System.nanoTime()));
          return this;
        })
        .onMessage(Recovered.class, this::onRecovered)
        .onMessage(Glimpse.class, this::onGlimpse)
        .onMessage(NodeGone.class, this::onNodeGone)
        .onMessage(Tick.class, this::onTick)
        .onMessage(RecoverAgain.class, t -> {
          askRecovery();
          return this;
        })
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onAcquire(Acquire m) {
    if (m.start() < 0 || m.end() <= m.start() || m.node() == null || m.agent() == null) {
      m.replyTo().tell(Reply.error(Errno.EINVAL));
      return this;
    }
    if (!member(m.node())) { // it left while its request travelled: never keep its extent
      m.replyTo().tell(Reply.error(Errno.EHOSTDOWN));
      return this;
    }
    apply(server.request(m.node(), m.id(), m.exclusive(), m.start(), m.end(),
        new Caller(m.agent(), m.replyTo()), System.nanoTime()));
    return this;
  }

  private Behavior<Command> onRelease(Release m) {
    apply(server.release(m.id(), System.nanoTime()));
    return this;
  }

  private Behavior<Command> onGlimpse(Glimpse m) {
    if (!recovering.isEmpty()) { // an old incarnation's holder may still defer: ask after
      glimpses.add(m);
      return this;
    }
    List<ActorRef<LockAgent.Command>> holders = new ArrayList<>(1);
    for (ExtentServer.Entry<Caller> e : server.entries()) {
      if (e.held && e.exclusive && e.end == ExtentServer.EOF && !e.node.equals(m.node())) {
        holders.add(e.context.agent());
      }
    }
    if (holders.isEmpty()) {
      m.replyTo().tell(Reply.ok(null));
      return this;
    }
    // Asked off the actor; the answers are combined where they arrive (nothing here changes).
    List<CompletableFuture<FileAttrs>> asks = new ArrayList<>(holders.size());
    org.slf4j.Logger log = getContext().getSystem().log(); // thread-safe, unlike the context's
    for (ActorRef<LockAgent.Command> agent : holders) {
      asks.add(AskPattern.<LockAgent.Command, FileAttrs>ask(agent,
              r -> new LockAgent.GlimpseAttrs(obj, r), settings.askTimeout().dividedBy(2),
              getContext().getSystem().scheduler())
          .toCompletableFuture().exceptionally(t -> {
            log.warn("file {}: glimpse of {} unanswered ({}); its length may be newer", obj,
                agent.path().address(), t.toString());
            return new FileAttrs(-1, 0);
          }));
    }
    CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
      FileAttrs best = null;
      for (CompletableFuture<FileAttrs> a : asks) {
        FileAttrs x = a.getNow(null);
        if (x != null && x.length() >= 0 && (best == null || x.length() > best.length())) {
          best = new FileAttrs(x.length(), Math.max(x.mtimeMicros(),
              best == null ? 0 : best.mtimeMicros()));
        }
      }
      m.replyTo().tell(Reply.ok(best));
    });
    return this;
  }

  private Behavior<Command> onRecovered(Recovered m) {
    if (m.epoch() == epoch && recovering.remove(m.node()) && recovering.isEmpty()) {
      resume();
    }
    return this;
  }

  private Behavior<Command> onNodeGone(NodeGone g) {
    ExtentServer.Effects<Caller> fx = server.nodeGone(g.node(), System.nanoTime());
    if (!fx.dropped().isEmpty()) {
      getContext().getLog().info("file {}: dropped {} extent(s) of removed node {}", obj,
          fx.dropped().size(), g.node());
    }
    apply(fx);
    if (recovering.remove(g.node()) && recovering.isEmpty()) {
      resume();
    }
    return this;
  }

  private Behavior<Command> onTick(Tick t) {
    long now = System.nanoTime();
    if (!recovering.isEmpty() && now > recoveryDeadline) {
      getContext().getLog().warn("file {}: no recovery answer from {} within {}; granting anyway",
          obj, recovering, settings.lockLease());
      recovering.clear();
      resume();
    }
    ExtentServer.Effects<Caller> fx = server.expire(now, settings.lockLease().toNanos());
    for (ExtentServer.Entry<Caller> e : fx.dropped()) {
      getContext().getLog().warn("file {}: node {} kept revoked extent [{}, {}) past the lease of"
          + " {}; let go", obj, e.node, e.start, e.end, settings.lockLease());
    }
    apply(fx);
    return this;
  }

  /** Asks every member that has not answered yet to give up older incarnations' extents. */
  private void askRecovery() {
    ActorRefResolver resolver = ActorRefResolver.get(getContext().getSystem());
    for (String node : recovering) {
      ActorRef<LockAgent.Command> agent =
          resolver.resolveActorRef(node + "/system/" + LockAgent.NAME);
      agent.tell(new LockAgent.Recover(obj, epoch, getContext().getSelf()));
    }
  }

  /** Recovery is over: grant what waits, answer the glimpses held meanwhile. */
  private void resume() {
    timers.cancel(RecoverAgain.INSTANCE);
    apply(server.resume(System.nanoTime()));
    List<Glimpse> held = List.copyOf(glimpses);
    glimpses.clear();
    held.forEach(this::onGlimpse);
  }

  private Behavior<Command> onPostStop(PostStop s) {
    registry.unpublish(obj, epoch);
    Cluster.get(getContext().getSystem()).subscriptions().tell(new Unsubscribe<>(removals));
    return this;
  }

  /** Answers grants, sends revokes, and shows the new state (also when nothing else changed). */
  private void apply(ExtentServer.Effects<Caller> fx) {
    for (ExtentServer.Entry<Caller> e : fx.granted()) {
      e.context.replyTo().tell(Reply.ok(new ExtentGrant(epoch, e.id, e.exclusive, e.start,
          e.end)));
    }
    for (ExtentServer.Entry<Caller> e : fx.revoke()) {
      e.context.agent().tell(new LockAgent.Revoke(obj, e.id));
    }
    publish();
  }

  private void publish() {
    registry.publish(obj, epoch, !recovering.isEmpty(), server.entries());
  }

  private boolean member(String node) {
    for (Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (m.address().toString().equals(node)) {
        return live(m.status());
      }
    }
    return false;
  }

  private static boolean live(MemberStatus s) {
    return s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.leaving()
        || s == MemberStatus.exiting();
  }
}

package ssi.files.api;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.PostStop;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.Unsubscribe;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.rangelock.Lock;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.RangeLock;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;

/**
 * The owner of one file's length (a Cluster Sharding entity, id = the object id): every
 * operation that may change the length — write, append, truncate — runs here, one at a time in
 * arrival order (later ones are stashed), so an append's offset is the length left by the
 * previous operation and concurrent appends from any nodes never overlap.
 *
 * <p>Each operation ({@link FileWrites}): read the object row (ENOENT or another generation: ESTALE; a directory:
 * EISDIR), move the data through this node's {@link PageCache}, then commit the new length and
 * mtime with {@code setLength}. The length is published only after the data is in the coherent
 * cache, so a reader that sees the new length reads the new bytes. Bytes past the length are
 * kept zero in every cache: a shrinking truncate zeroes the old tail through the cache first, so
 * a later extension reads zeros.
 *
 * <p>Atomicity (DESIGN §8). The entity is also the file's one range lock manager for the whole
 * cluster ({@link RangeLock}, FIFO-fair): every write, append and truncate holds an exclusive
 * lock on the bytes it changes until its data and length are in place, and a reader on any node
 * first asks here for a shared lock on the range it reads ({@link ReadLock}; the answer carries
 * the length under the lock), reads the pages through its own coherent page cache, then sends
 * {@link Unlock}. So a read never observes part of a write on any node. A reader's lock also
 * goes when its node leaves the cluster or after {@code ssi.files.lock-lease} (see {@link
 * ReadLocks}); if this entity stops (its node dies, it passivates) its locks go with it. The
 * entity keeps no file state between operations, only these locks.
 */
public final class FileObject extends AbstractBehavior<FileObject.Command> {

  /** The sharded entity type; the entity id is the object id in decimal. */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ssi-file");

  private static final int STASH_CAPACITY = 10_000;

  /** Everything a file entity is asked. */
  public interface Command extends SsiMessage {
  }

  /**
   * Writes {@code data} at {@code offset}; answers the new stat. A write bigger than one
   * message ({@code ssi.files.message-chunk}) sends its first {@code stagedParts} chunks ahead
   * as {@link Stage} messages under {@code stagedId} and the rest here ({@code stagedId} 0:
   * nothing staged).
   */
  public record Write(long generation, long offset, byte[] data, long stagedId, int stagedParts,
      ActorRef<Reply<FileStat>> replyTo) implements Command {
  }

  /** Appends {@code data} at the current length; answers the offset it was written at. */
  public record Append(long generation, byte[] data, long stagedId, int stagedParts,
      ActorRef<Reply<Long>> replyTo) implements Command {
  }

  /**
   * Part {@code part} of the data of the write or append {@code stagedId} that follows (sent
   * by the same caller, so it arrives first). Kept until that operation runs, or dropped after
   * {@code ssi.files.lock-lease} when it never comes.
   */
  public record Stage(long stagedId, int part, byte[] data) implements Command {
  }

  /** Sets the length (shrinking zeroes the old tail, growing reads as zeros). */
  public record Truncate(long generation, long length, ActorRef<Reply<FileStat>> replyTo)
      implements Command {
  }

  /**
   * A shared lock on {@code [offset, offset + length)} for the reader {@code lockId} on
   * {@code node}; answers the file's stat under the lock (or ESTALE, EISDIR, ETIMEDOUT). The
   * reader must send {@link Unlock} with the same id, also when it stopped waiting.
   */
  public record ReadLock(long generation, String node, long lockId, long offset, long length,
      ActorRef<Reply<FileStat>> replyTo) implements Command {
  }

  /** Gives back (or, not yet granted, gives up) the reader lock {@code lockId}. */
  public record Unlock(long lockId) implements Command {
  }

  private record Finished(Runnable reply) implements Command, NoSerializationVerificationNeeded {
  }

  private record Granted(ReadLock request, Reply<Lock> lock)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record NodeGone(String node) implements Command, NoSerializationVerificationNeeded {
  }

  private enum ExpireLeases implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private final long obj;
  private final PageStore store;
  private final FilesSettings settings;
  private final StashBuffer<Command> stash;
  private final RangeLock locks;
  private final FileWrites writes;
  private final ReadLocks readers = new ReadLocks();
  private final Staging staging = new Staging();
  private final ActorRef<ClusterEvent.MemberRemoved> removals;
  private boolean busy;

  /** Registers the entity type on this node (idempotent); every node calls it at boot. */
  public static void init(ActorSystem<?> system) {
    FilesSettings settings = FilesSettings.from(system.settings().config());
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
            ctx -> create(Long.parseLong(ctx.getEntityId())))
        .withSettings(ClusterShardingSettings.create(system)
            .withPassivateIdleEntityAfter(settings.passivateAfter())));
  }

  static Behavior<Command> create(long obj) {
    return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.withTimers(timers ->
        Behaviors.setup(ctx -> new FileObject(ctx, stash, timers, obj))));
  }

  private FileObject(ActorContext<Command> ctx, StashBuffer<Command> stash,
      TimerScheduler<Command> timers, long obj) {
    super(ctx);
    this.obj = obj;
    this.stash = stash;
    this.store = PageStores.get(ctx.getSystem()).store().orElse(null);
    this.settings = FilesSettings.from(ctx.getSystem().settings().config());
    this.locks = new RangeLock(obj);
    FileLocks.get(ctx.getSystem()).register(locks);
    Cluster cluster = Cluster.get(ctx.getSystem());
    this.writes = new FileWrites(obj, store, PageCache.get(ctx.getSystem()), settings, locks,
        new LockOwner(cluster.selfMember().address().toString(), 0));
    this.removals = ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
        e -> new NodeGone(e.member().address().toString()));
    cluster.subscriptions().tell(Subscribe.create(removals, ClusterEvent.MemberRemoved.class));
    Duration tick = settings.lockLease().dividedBy(2);
    timers.startTimerWithFixedDelay(ExpireLeases.INSTANCE, tick, tick);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(Append.class, this::onAppend)
        .onMessage(Stage.class, this::onStage)
        .onMessage(Truncate.class, this::onTruncate)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(ReadLock.class, this::onReadLock)
        .onMessage(Granted.class, this::onGranted)
        .onMessage(Unlock.class, this::onUnlock)
        .onMessage(NodeGone.class, this::onNodeGone)
        .onMessage(ExpireLeases.class, this::onExpireLeases)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  // ---- readers' shared locks: handled at once, also while a write is in progress ----

  private Behavior<Command> onReadLock(ReadLock m) {
    if (m.offset() < 0 || m.length() <= 0 || m.offset() > Long.MAX_VALUE - m.length()) {
      m.replyTo().tell(Reply.error(Errno.EINVAL));
      return this;
    }
    readers.waiting(m.lockId());
    getContext().pipeToSelf(locks.acquire(new LockOwner(m.node(), m.lockId()), LockMode.SHARED,
            m.offset(), m.length(), settings.askTimeout()),
        (r, e) -> new Granted(m, r != null ? r : Reply.error(Errno.EIO)));
    return this;
  }

  private Behavior<Command> onGranted(Granted g) {
    ReadLock m = g.request();
    if (!g.lock().isOk()) {
      readers.failed(m.lockId());
      m.replyTo().tell(Reply.error(g.lock().errno()));
      return this;
    }
    if (!member(m.node())) { // the reader's node left while it waited
      readers.failed(m.lockId());
      g.lock().value().release();
      return this;
    }
    if (!readers.granted(m.lockId(), m.node(), g.lock().value(), System.nanoTime())) {
      return this; // the reader gave up meanwhile
    }
    if (store == null) {
      readers.unlock(m.lockId());
      m.replyTo().tell(Reply.error(Errno.EIO));
      return this;
    }
    var self = getContext().getSelf();
    writes.checked(m.generation()).whenComplete((r, e) -> {
      if (r != null && r.isOk()) {
        m.replyTo().tell(Reply.ok(FileStat.of(r.value())));
      } else {
        self.tell(new Unlock(m.lockId()));
        m.replyTo().tell(Reply.error(r != null ? r.errno() : Errno.EIO));
      }
    });
    return this;
  }

  private Behavior<Command> onUnlock(Unlock u) {
    readers.unlock(u.lockId());
    return this;
  }

  private Behavior<Command> onNodeGone(NodeGone g) {
    int n = readers.nodeGone(g.node());
    if (n > 0) {
      getContext().getLog().info("file {}: released {} read lock(s) of removed node {}", obj, n,
          g.node());
    }
    return this;
  }

  private Behavior<Command> onExpireLeases(ExpireLeases t) {
    staging.expire(System.nanoTime(), settings.lockLease().toNanos());
    int n = readers.expire(System.nanoTime(), settings.lockLease().toNanos());
    if (n > 0) {
      getContext().getLog().warn("file {}: released {} read lock(s) held past the lease of {}",
          obj, n, settings.lockLease());
    }
    return this;
  }

  private Behavior<Command> onPostStop(PostStop s) {
    FileLocks.get(getContext().getSystem()).unregister(locks);
    Cluster.get(getContext().getSystem()).subscriptions().tell(new Unsubscribe<>(removals));
    return this;
  }

  private boolean member(String node) {
    for (Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (m.address().toString().equals(node)) {
        return m.status() != MemberStatus.down() && m.status() != MemberStatus.removed();
      }
    }
    return false;
  }

  private Behavior<Command> onWrite(Write m) {
    return run(m, m.replyTo(), () -> {
      byte[] data = staging.assemble(m.stagedId(), m.stagedParts(), m.data());
      return data == null ? failed(Errno.EIO) // a staged part was lost
          : writes.write(m.generation(), m.offset(), data);
    });
  }

  private Behavior<Command> onAppend(Append m) {
    return run(m, m.replyTo(), () -> {
      byte[] data = staging.assemble(m.stagedId(), m.stagedParts(), m.data());
      return data == null ? failed(Errno.EIO) : writes.append(m.generation(), data);
    });
  }

  private Behavior<Command> onStage(Stage m) {
    staging.add(m.stagedId(), m.part(), m.data(), System.nanoTime());
    return this;
  }

  private Behavior<Command> onTruncate(Truncate m) {
    return run(m, m.replyTo(), () -> writes.truncate(m.generation(), m.length()));
  }

  /** Runs one operation at a time; the next waits in the stash until this one has answered. */
  private <T> Behavior<Command> run(Command m, ActorRef<Reply<T>> replyTo,
      java.util.function.Supplier<CompletionStage<Reply<T>>> op) {
    if (busy) {
      stash.stash(m);
      return this;
    }
    busy = true;
    CompletionStage<Reply<T>> stage = store == null
        ? CompletableFuture.completedFuture(Reply.error(Errno.EIO)) : op.get();
    getContext().pipeToSelf(stage, (r, e) -> new Finished(
        () -> replyTo.tell(r != null ? r : Reply.error(Errno.EIO))));
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    f.reply().run();
    busy = false;
    return stash.unstashAll(this);
  }

  private static <T> CompletionStage<Reply<T>> failed(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }
}

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
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;
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
 * <p>Each operation: read the object row (ENOENT or another generation: ESTALE; a directory:
 * EISDIR), move the data through this node's {@link PageCache}, then commit the new length and
 * mtime with {@code setLength}. The length is published only after the data is in the coherent
 * cache, so a reader that sees the new length reads the new bytes. Bytes past the length are
 * kept zero in every cache: a shrinking truncate zeroes the old tail through the cache first, so
 * a later extension reads zeros. The entity keeps no state between operations.
 */
public final class FileObject extends AbstractBehavior<FileObject.Command> {

  /** The sharded entity type; the entity id is the object id in decimal. */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ssi-file");

  private static final int STASH_CAPACITY = 10_000;

  /** Everything a file entity is asked. */
  public interface Command extends SsiMessage {
  }

  /** Writes {@code data} at {@code offset}; answers the new stat. */
  public record Write(long generation, long offset, byte[] data,
      ActorRef<Reply<FileStat>> replyTo) implements Command {
  }

  /** Appends {@code data} at the current length; answers the offset it was written at. */
  public record Append(long generation, byte[] data, ActorRef<Reply<Long>> replyTo)
      implements Command {
  }

  /** Sets the length (shrinking zeroes the old tail, growing reads as zeros). */
  public record Truncate(long generation, long length, ActorRef<Reply<FileStat>> replyTo)
      implements Command {
  }

  private record Finished(Runnable reply) implements Command, NoSerializationVerificationNeeded {
  }

  private final long obj;
  private final PageStore store;
  private final PageCache cache;
  private final FilesSettings settings;
  private final StashBuffer<Command> stash;
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
    return Behaviors.withStash(STASH_CAPACITY, stash ->
        Behaviors.setup(ctx -> new FileObject(ctx, stash, obj)));
  }

  private FileObject(ActorContext<Command> ctx, StashBuffer<Command> stash, long obj) {
    super(ctx);
    this.obj = obj;
    this.stash = stash;
    this.store = PageStores.get(ctx.getSystem()).store().orElse(null);
    this.cache = PageCache.get(ctx.getSystem());
    this.settings = FilesSettings.from(ctx.getSystem().settings().config());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(Append.class, this::onAppend)
        .onMessage(Truncate.class, this::onTruncate)
        .onMessage(Finished.class, this::onFinished)
        .build();
  }

  private Behavior<Command> onWrite(Write m) {
    return run(m, m.replyTo(), () -> checked(m.generation()).thenCompose(meta -> !meta.isOk()
        ? failed(meta.errno())
        : cache.write(obj, m.offset(), m.data()).thenCompose(w -> !w.isOk() ? failed(w.errno())
            : setLength(Math.max(meta.value().length(), m.offset() + m.data().length)))));
  }

  private Behavior<Command> onAppend(Append m) {
    return run(m, m.replyTo(), () -> checked(m.generation()).thenCompose(meta -> {
      if (!meta.isOk()) {
        return failed(meta.errno());
      }
      long at = meta.value().length();
      return cache.write(obj, at, m.data()).thenCompose(w -> !w.isOk() ? failed(w.errno())
          : setLength(at + m.data().length).thenApply(s -> s.isOk() ? Reply.ok(at)
              : Reply.<Long>error(s.errno())));
    }));
  }

  private Behavior<Command> onTruncate(Truncate m) {
    return run(m, m.replyTo(), () -> checked(m.generation()).thenCompose(meta -> {
      if (!meta.isOk()) {
        return failed(meta.errno());
      }
      long old = meta.value().length();
      CompletionStage<Reply<Void>> zeroed = m.length() < old
          ? zero(m.length(), old) : CompletableFuture.completedFuture(Reply.ok(null));
      return zeroed.thenCompose(z -> !z.isOk() ? failed(z.errno()) : setLength(m.length()));
    }));
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

  /** The object row if it is a live file of that generation: else ESTALE or EISDIR. */
  private CompletionStage<Reply<ObjectMeta>> checked(long generation) {
    return store.getObject(obj).thenApply(r -> {
      if (!r.isOk()) {
        return Reply.error(r.errno() == Errno.ENOENT ? Errno.ESTALE : r.errno());
      }
      if (r.value().generation() != generation) {
        return Reply.error(Errno.ESTALE);
      }
      return r.value().kind() == ObjectKind.DIRECTORY ? Reply.error(Errno.EISDIR) : r;
    });
  }

  private CompletionStage<Reply<FileStat>> setLength(long length) {
    return store.setLength(obj, length, Instant.now()).thenApply(r -> r.isOk()
        ? Reply.ok(FileStat.of(r.value()))
        : Reply.error(r.errno() == Errno.ENOENT ? Errno.ESTALE : r.errno()));
  }

  /** Zeroes [from, to) through the cache, a chunk at a time. */
  private CompletionStage<Reply<Void>> zero(long from, long to) {
    if (from >= to) {
      return CompletableFuture.completedFuture(Reply.ok(null));
    }
    int n = (int) Math.min(settings.zeroChunk(), to - from);
    return cache.write(obj, from, new byte[n]).thenCompose(r -> r.isOk()
        ? zero(from + n, to) : CompletableFuture.completedFuture(r));
  }

  private static <T> CompletionStage<Reply<T>> failed(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }
}

package ssi.files.namespace;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.DirEntry;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;

/**
 * One directory of the namespace (a Cluster Sharding entity, id = the directory's object id).
 *
 * <p>Design. The entries live in the page store's database ({@code ssi_dir_entries}); the entity
 * keeps no copy, so nothing is lost when it passivates or its node dies, and a restarted entity
 * needs no recovery. It is the directory's single writer: its mutations (create, mkdir, unlink,
 * rmdir, rename from here) run one at a time in arrival order, each as one database transaction
 * (others are stashed meanwhile); lookups and listings go straight to the database and never
 * wait behind a mutation. A rename is sent to the source directory's entity and is one
 * transaction that locks both directories' rows in id order, so it is atomic also across
 * directories: any snapshot read sees the name in exactly one place. Stale directory handles
 * answer ESTALE (checked in the same transaction).
 *
 * <p>Supervision: the default (stop on a bug); the next message starts the entity afresh.
 */
public final class Directory extends AbstractBehavior<Directory.Command> {

  /** The sharded entity type; the entity id is the directory's object id in decimal. */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ssi-directory");

  private static final int STASH_CAPACITY = 10_000;

  /** Everything a directory entity is asked. */
  public interface Command extends SsiMessage {
  }

  /** The entry {@code name}; {@code generation} is the directory handle's. */
  public record Lookup(long generation, String name, ActorRef<Reply<DirEntry>> replyTo)
      implements Command {
  }

  /** Every entry, sorted by name. */
  public record ReadDir(long generation, ActorRef<Reply<List<DirEntry>>> replyTo)
      implements Command {
  }

  /** Creates a FILE or DIRECTORY object named {@code name}; EEXIST if the name is taken. */
  public record Create(long generation, String name, ObjectKind kind,
      ActorRef<Reply<DirEntry>> replyTo) implements Command {
  }

  /** Unlink ({@code kind} FILE) or rmdir ({@code kind} DIRECTORY) of {@code name}. */
  public record Remove(long generation, String name, ObjectKind kind,
      ActorRef<Reply<DirEntry>> replyTo) implements Command {
  }

  /** Renames {@code name} here to {@code dstName} in directory {@code dstDir}. */
  public record Rename(long generation, String name, long dstDir, long dstGeneration,
      String dstName, ActorRef<Reply<DirEntry>> replyTo) implements Command {
  }

  private record Finished(Reply<DirEntry> reply, ActorRef<Reply<DirEntry>> replyTo)
      implements Command, NoSerializationVerificationNeeded {
  }

  private final long dir;
  private final Optional<PageStore> store;
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

  static Behavior<Command> create(long dir) {
    return Behaviors.withStash(STASH_CAPACITY, stash ->
        Behaviors.setup(ctx -> new Directory(ctx, stash, dir)));
  }

  private Directory(ActorContext<Command> ctx, StashBuffer<Command> stash, long dir) {
    super(ctx);
    this.dir = dir;
    this.stash = stash;
    this.store = PageStores.get(ctx.getSystem()).store();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(ReadDir.class, this::onReadDir)
        .onMessage(Create.class, this::onCreate)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Rename.class, this::onRename)
        .onMessage(Finished.class, this::onFinished)
        .build();
  }

  private Behavior<Command> onLookup(Lookup m) {
    answer(store.map(s -> s.lookupEntry(dir, m.generation(), m.name())), m.replyTo());
    return this;
  }

  private Behavior<Command> onReadDir(ReadDir m) {
    answer(store.map(s -> s.listEntries(dir, m.generation())), m.replyTo());
    return this;
  }

  private Behavior<Command> onCreate(Create m) {
    return mutate(m, m.replyTo(),
        () -> store.map(s -> s.createEntry(dir, m.generation(), m.name(), m.kind())));
  }

  private Behavior<Command> onRemove(Remove m) {
    return mutate(m, m.replyTo(),
        () -> store.map(s -> s.removeEntry(dir, m.generation(), m.name(), m.kind())));
  }

  private Behavior<Command> onRename(Rename m) {
    return mutate(m, m.replyTo(), () -> store.map(s -> s.renameEntry(dir, m.generation(),
        m.name(), m.dstDir(), m.dstGeneration(), m.dstName())));
  }

  /** Runs one mutation at a time; later ones wait in the stash. */
  private Behavior<Command> mutate(Command m, ActorRef<Reply<DirEntry>> replyTo,
      java.util.function.Supplier<Optional<CompletionStage<Reply<DirEntry>>>> work) {
    if (busy) {
      stash.stash(m);
      return this;
    }
    busy = true;
    CompletionStage<Reply<DirEntry>> stage = work.get()
        .orElseGet(() -> CompletableFuture.completedFuture(Reply.error(Errno.EIO)));
    getContext().pipeToSelf(stage, (r, e) -> new Finished(
        r != null ? r : Reply.error(Errno.EIO), replyTo));
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    f.replyTo().tell(f.reply());
    busy = false;
    return stash.unstashAll(this);
  }

  /** Replies when the read completes: no actor state is touched, so no pipeToSelf is needed. */
  private static <T> void answer(Optional<CompletionStage<Reply<T>>> read,
      ActorRef<Reply<T>> replyTo) {
    if (read.isEmpty()) {
      replyTo.tell(Reply.error(Errno.EIO)); // no page store on this node
      return;
    }
    read.get().whenComplete((r, e) -> replyTo.tell(r != null ? r : Reply.error(Errno.EIO)));
  }
}

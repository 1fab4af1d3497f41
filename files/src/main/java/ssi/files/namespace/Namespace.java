package ssi.files.namespace;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.DirEntry;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;

/**
 * The namespace API of this node (an Akka extension), usable from any node: operations on a
 * directory handle and a name go to that directory's {@link Directory} entity; paths are resolved
 * one component at a time from {@link GlobalFileHandle#ROOT}. Names are checked here (EINVAL:
 * empty, {@code .}, {@code ..}, containing {@code /} or NUL, over 255 UTF-8 bytes) before any
 * message is sent. Every stage completes with a {@link Reply}, never exceptionally: a directory
 * that does not answer within {@code ssi.files.ask-timeout} gives ETIMEDOUT.
 *
 * <pre>{@code
 * Namespace ns = Namespace.get(system);
 * ns.mkdir(GlobalFileHandle.ROOT, "docs")
 *     .thenCompose(d -> ns.create(d.value(), "readme"))
 *     .thenAccept(fh -> ... Files.get(system).write(fh.value(), 0, bytes) ...);
 * }</pre>
 */
public final class Namespace implements Extension {

  private static final Id ID = new Id();

  /** A path's parent directory and last name. */
  public record Parent(GlobalFileHandle dir, String name) {
  }

  private final ActorSystem<?> system;
  private final FilesSettings settings;

  private Namespace(ActorSystem<?> system) {
    this.system = system;
    this.settings = FilesSettings.from(system.settings().config());
  }

  /** This node's namespace API. */
  public static Namespace get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The root directory's handle. */
  public GlobalFileHandle root() {
    return GlobalFileHandle.ROOT;
  }

  /** The entry {@code name} of {@code dir}: ENOENT, ENOTDIR, ESTALE, EINVAL. */
  public CompletionStage<Reply<DirEntry>> lookup(GlobalFileHandle dir, String name) {
    if (!Names.valid(name)) {
      return done(Errno.EINVAL);
    }
    return ask(dir, r -> new Directory.Lookup(dir.generation(), name, r));
  }

  /** The entries of {@code dir}, sorted by name (one snapshot). */
  public CompletionStage<Reply<List<DirEntry>>> readdir(GlobalFileHandle dir) {
    return ask(dir, r -> new Directory.ReadDir(dir.generation(), r));
  }

  /** Creates an empty file; EEXIST when the name exists. */
  public CompletionStage<Reply<GlobalFileHandle>> create(GlobalFileHandle dir, String name) {
    return make(dir, name, ObjectKind.FILE);
  }

  /** Creates an empty directory; EEXIST when the name exists. */
  public CompletionStage<Reply<GlobalFileHandle>> mkdir(GlobalFileHandle dir, String name) {
    return make(dir, name, ObjectKind.DIRECTORY);
  }

  /** The handle of an existing file; ENOENT, EISDIR for a directory. */
  public CompletionStage<Reply<GlobalFileHandle>> open(GlobalFileHandle dir, String name) {
    return lookup(dir, name).thenApply(r -> !r.isOk() ? Reply.error(r.errno())
        : r.value().kind() == ObjectKind.DIRECTORY ? Reply.error(Errno.EISDIR)
        : Reply.ok(handle(r.value())));
  }

  /** Removes a file; ENOENT, EISDIR for a directory. */
  public CompletionStage<Reply<Void>> unlink(GlobalFileHandle dir, String name) {
    return remove(dir, name, ObjectKind.FILE);
  }

  /** Removes an empty directory; ENOENT, ENOTDIR for a file, ENOTEMPTY. */
  public CompletionStage<Reply<Void>> rmdir(GlobalFileHandle dir, String name) {
    return remove(dir, name, ObjectKind.DIRECTORY);
  }

  /**
   * Renames atomically, also across directories (one database transaction); replaces a
   * destination of the same kind (a directory only when empty). ENOENT, ENOTDIR, EISDIR,
   * ENOTEMPTY, EINVAL (bad name, or a directory into itself or below it), ESTALE.
   */
  public CompletionStage<Reply<Void>> rename(GlobalFileHandle srcDir, String srcName,
      GlobalFileHandle dstDir, String dstName) {
    if (!Names.valid(srcName) || !Names.valid(dstName)) {
      return done(Errno.EINVAL);
    }
    return this.<DirEntry>ask(srcDir, r -> new Directory.Rename(srcDir.generation(), srcName,
        dstDir.objectId(), dstDir.generation(), dstName, r)).thenApply(Namespace::toVoid);
  }

  /** Length, mtime, kind and generation of a file or directory; ESTALE when it is gone. */
  public CompletionStage<Reply<FileStat>> stat(GlobalFileHandle fh) {
    return withStore(s -> s.getObject(fh.objectId())).thenApply(r ->
        !r.isOk() ? Reply.error(r.errno() == Errno.ENOENT ? Errno.ESTALE : r.errno())
            : r.value().generation() != fh.generation() ? Reply.error(Errno.ESTALE)
            : Reply.ok(FileStat.of(r.value())));
  }

  /**
   * The entries of several directories read in one snapshot: a rename between them shows the
   * name in exactly one of them (a consistency view for tools and tests).
   */
  public CompletionStage<Reply<List<DirEntry>>> snapshot(List<GlobalFileHandle> dirs) {
    return withStore(s -> s.snapshotEntries(dirs.stream().map(GlobalFileHandle::objectId)
        .toList()));
  }

  // ---- paths ----

  /** The entry a path names ({@code /} is the root: an entry named "/" in itself). */
  public CompletionStage<Reply<DirEntry>> resolve(String path) {
    return Names.split(path).map(parts -> walk(rootEntry(), parts, 0, false))
        .orElseGet(() -> done(Errno.EINVAL));
  }

  /** The parent directory of a path and its last name; EINVAL for {@code /} itself. */
  public CompletionStage<Reply<Parent>> parent(String path, boolean makeDirs) {
    var parts = Names.split(path);
    if (parts.isEmpty() || parts.get().isEmpty()) {
      return done(Errno.EINVAL);
    }
    List<String> p = parts.get();
    return walk(rootEntry(), p.subList(0, p.size() - 1), 0, makeDirs).thenApply(r ->
        !r.isOk() ? Reply.error(r.errno())
            : r.value().kind() != ObjectKind.DIRECTORY ? Reply.error(Errno.ENOTDIR)
            : Reply.ok(new Parent(handle(r.value()), p.get(p.size() - 1))));
  }

  /** The handle of an entry. */
  public static GlobalFileHandle handle(DirEntry e) {
    return new GlobalFileHandle(e.childId(), e.generation());
  }

  private static DirEntry rootEntry() {
    return new DirEntry(GlobalFileHandle.ROOT.objectId(), "/", GlobalFileHandle.ROOT.objectId(),
        GlobalFileHandle.ROOT.generation(), ObjectKind.DIRECTORY);
  }

  private CompletionStage<Reply<DirEntry>> walk(DirEntry at, List<String> parts, int i,
      boolean makeDirs) {
    if (i == parts.size()) {
      return CompletableFuture.completedFuture(Reply.ok(at));
    }
    if (at.kind() != ObjectKind.DIRECTORY) {
      return done(Errno.ENOTDIR);
    }
    GlobalFileHandle dir = handle(at);
    String name = parts.get(i);
    return lookup(dir, name).thenCompose(r -> {
      if (r.errno() == Errno.ENOENT && makeDirs) {
        return this.<DirEntry>ask(dir, ref -> new Directory.Create(dir.generation(), name,
            ObjectKind.DIRECTORY, ref)).thenCompose(c -> c.errno() == Errno.EEXIST
            ? lookup(dir, name) : CompletableFuture.completedFuture(c)); // made concurrently
      }
      return CompletableFuture.completedFuture(r);
    }).thenCompose(r -> r.isOk() ? walk(r.value(), parts, i + 1, makeDirs)
        : CompletableFuture.completedFuture(r));
  }

  private CompletionStage<Reply<GlobalFileHandle>> make(GlobalFileHandle dir, String name,
      ObjectKind kind) {
    if (!Names.valid(name)) {
      return done(Errno.EINVAL);
    }
    return this.<DirEntry>ask(dir, r -> new Directory.Create(dir.generation(), name, kind, r))
        .thenApply(r -> r.isOk() ? Reply.ok(handle(r.value())) : Reply.error(r.errno()));
  }

  private CompletionStage<Reply<Void>> remove(GlobalFileHandle dir, String name,
      ObjectKind kind) {
    if (!Names.valid(name)) {
      return done(Errno.EINVAL);
    }
    return this.<DirEntry>ask(dir, r -> new Directory.Remove(dir.generation(), name, kind, r))
        .thenApply(Namespace::toVoid);
  }

  private <T> CompletionStage<Reply<T>> ask(GlobalFileHandle dir,
      akka.japi.function.Function<ActorRef<Reply<T>>, Directory.Command> message) {
    return ClusterSharding.get(system)
        .entityRefFor(Directory.ENTITY_TYPE_KEY, Long.toString(dir.objectId()))
        .<Reply<T>>ask(message, settings.askTimeout())
        .handle((r, e) -> r != null ? r : Reply.<T>error(
            e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                ? Errno.ETIMEDOUT : Errno.EIO));
  }

  private <T> CompletionStage<Reply<T>> withStore(
      Function<PageStore, CompletionStage<Reply<T>>> op) {
    return PageStores.get(system).store().map(op).orElseGet(() -> done(Errno.EIO));
  }

  private static Reply<Void> toVoid(Reply<?> r) {
    return r.isOk() ? Reply.ok(null) : Reply.error(r.errno());
  }

  static <T> CompletionStage<Reply<T>> done(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }

  private static final class Id extends ExtensionId<Namespace> {
    @Override
    public Namespace createExtension(ActorSystem<?> system) {
      return new Namespace(system);
    }
  }
}

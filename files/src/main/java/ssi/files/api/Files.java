package ssi.files.api;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.typed.Cluster;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.locks.NodeLocks;
import ssi.files.namespace.Namespace;

/**
 * The file API of this node (an Akka extension), usable on any node with any
 * {@link GlobalFileHandle}. Every stage completes with a {@link Reply}, never exceptionally.
 *
 * <p>Every read and write runs here, on the caller's node, under a range lock of this node's
 * {@link NodeLocks} (shared for a read, exclusive for a write; see {@link FileWrites}), with the
 * bytes moving through this node's coherent {@link PageCache}: a read never observes part of a
 * write on any node, appends from several nodes never overlap, and writers of disjoint ranges run
 * in parallel (DESIGN §8). A handle whose object was deleted, or re-created with a new
 * generation, gets ESTALE. EINVAL: negative offset or length, more than
 * {@code ssi.files.max-io-bytes} at once, or offset + length overflowing.
 *
 * <pre>{@code
 * Files files = Files.get(system);
 * files.append(fh, record).thenAccept(r -> ... r.value() is the offset it landed at ...);
 * }</pre>
 */
public final class Files implements Extension {

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final FilesSettings settings;
  private final FileWrites io;

  private Files(ActorSystem<?> system) {
    this.system = system;
    this.settings = FilesSettings.from(system.settings().config());
    this.io = PageStores.get(system).store().map(store -> new FileWrites(store,
        PageCache.get(system), NodeLocks.get(system), settings,
        Cluster.get(system).selfMember().address().toString())).orElse(null);
  }

  /** This node's file API. */
  public static Files get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Up to {@code len} bytes at {@code off}; fewer at the end of the file, none past it. */
  public CompletionStage<Reply<byte[]>> read(GlobalFileHandle fh, long off, int len) {
    if (off < 0 || len < 0 || len > settings.maxIoBytes() || off > Long.MAX_VALUE - len) {
      return done(Errno.EINVAL);
    }
    if (io == null) {
      return done(Errno.EIO);
    }
    if (len == 0) {
      return io.checked(fh.objectId(), fh.generation()).thenApply(s -> !s.isOk()
          ? Reply.error(s.errno()) : Reply.ok(new byte[0]));
    }
    return io.read(fh.objectId(), fh.generation(), off, len);
  }

  /** Writes {@code bytes} at {@code off}, extending the file if needed; answers the new stat. */
  public CompletionStage<Reply<FileStat>> write(GlobalFileHandle fh, long off, byte[] bytes) {
    if (off < 0 || bytes == null || bytes.length > settings.maxIoBytes()
        || off > Long.MAX_VALUE - bytes.length) {
      return done(Errno.EINVAL);
    }
    return io == null ? done(Errno.EIO)
        : io.write(fh.objectId(), fh.generation(), off, bytes.clone());
  }

  /** Appends atomically at the end; answers the offset the bytes were written at. */
  public CompletionStage<Reply<Long>> append(GlobalFileHandle fh, byte[] bytes) {
    if (bytes == null || bytes.length > settings.maxIoBytes()) {
      return done(Errno.EINVAL);
    }
    return io == null ? done(Errno.EIO)
        : io.append(fh.objectId(), fh.generation(), bytes.clone());
  }

  /** Sets the length: a shrunk tail is gone, a grown one reads as zeros. */
  public CompletionStage<Reply<FileStat>> truncate(GlobalFileHandle fh, long len) {
    if (len < 0) {
      return done(Errno.EINVAL);
    }
    return io == null ? done(Errno.EIO) : io.truncate(fh.objectId(), fh.generation(), len);
  }

  /**
   * Writes back this node's dirty pages of the file and waits for the store's commit. Pages
   * another node holds dirty are that node's to flush (its own fsync or write-back timer).
   */
  public CompletionStage<Reply<Void>> fsync(GlobalFileHandle fh) {
    return stat(fh).thenCompose(s -> !s.isOk() ? done(s.errno())
        : NodeLocks.get(system).commit(fh.objectId()).thenCompose(c ->
            PageCache.get(system).fsync(fh.objectId())).thenCompose(r -> !r.isOk()
            ? done(r.errno())
            : PageStores.get(system).store().map(PageStore::flush).orElseGet(
                () -> done(Errno.EIO))));
  }

  /**
   * Length, mtime, kind and generation; ESTALE when the object is gone. The length and mtime a
   * writer's node has not committed yet come by glimpse (DESIGN §7): asked of that node through
   * the file's lock server, without taking its extent or its pages away.
   */
  public CompletionStage<Reply<FileStat>> stat(GlobalFileHandle fh) {
    return NodeLocks.get(system).glimpse(fh.objectId()).thenCompose(g ->
        Namespace.get(system).stat(fh).thenApply(s -> {
          if (!s.isOk() || !g.isOk() || g.value() == null
              || g.value().length() <= s.value().length()) {
            return s;
          }
          FileStat st = s.value();
          return Reply.ok(new FileStat(st.objectId(), st.generation(), g.value().length(),
              Math.max(st.mtimeMicros(), g.value().mtimeMicros()), st.kind()));
        }));
  }

  /** Handles hold no per-open state: close only checks the handle (ESTALE when stale). */
  public CompletionStage<Reply<Void>> close(GlobalFileHandle fh) {
    return stat(fh).thenApply(s -> s.isOk() ? Reply.ok(null) : Reply.error(s.errno()));
  }

  private static <T> CompletionStage<Reply<T>> done(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }

  private static final class Id extends ExtensionId<Files> {
    @Override
    public Files createExtension(ActorSystem<?> system) {
      return new Files(system);
    }
  }
}

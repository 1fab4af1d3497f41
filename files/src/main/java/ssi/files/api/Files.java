package ssi.files.api;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.namespace.Namespace;

/**
 * The file API of this node (an Akka extension), usable on any node with any
 * {@link GlobalFileHandle}. Every stage completes with a {@link Reply}, never exceptionally.
 *
 * <p>Reads run here, under a shared range lock: the file's {@link FileObject} entity grants
 * the lock on the bytes asked (and answers the length under it), this node's coherent {@link
 * PageCache} supplies the bytes, then the lock is given back. Writes, appends and truncates go to
 * that entity, which serializes them (appends never overlap) and holds an exclusive lock on what
 * each one changes until it is complete; so a read never observes part of a write, on any node
 * (DESIGN §8). A handle whose object was deleted, or re-created with a new
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
  private final String self;

  private Files(ActorSystem<?> system) {
    this.system = system;
    this.settings = FilesSettings.from(system.settings().config());
    this.self = Cluster.get(system).selfMember().address().toString();
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
    if (len == 0) {
      return stat(fh).thenApply(s -> !s.isOk() ? Reply.error(s.errno())
          : s.value().kind() == ObjectKind.DIRECTORY ? Reply.error(Errno.EISDIR)
          : Reply.ok(new byte[0]));
    }
    long lockId = ThreadLocalRandom.current().nextLong();
    return this.<FileStat>ask(fh, r -> new FileObject.ReadLock(fh.generation(), self, lockId,
        off, len, r)).thenCompose(s -> {
          if (!s.isOk()) {
            unlock(fh, lockId); // after a timeout it may still be granted: give it up
            return done(s.errno());
          }
          int n = (int) Math.max(0, Math.min(len, s.value().length() - off));
          CompletionStage<Reply<byte[]>> data = n == 0
              ? CompletableFuture.completedFuture(Reply.ok(new byte[0]))
              : PageCache.get(system).read(fh.objectId(), off, n);
          return data.whenComplete((r, e) -> unlock(fh, lockId));
        });
  }

  private void unlock(GlobalFileHandle fh, long lockId) {
    entity(fh).tell(new FileObject.Unlock(lockId));
  }

  /** Writes {@code bytes} at {@code off}, extending the file if needed; answers the new stat. */
  public CompletionStage<Reply<FileStat>> write(GlobalFileHandle fh, long off, byte[] bytes) {
    if (off < 0 || bytes == null || bytes.length > settings.maxIoBytes()
        || off > Long.MAX_VALUE - bytes.length) {
      return done(Errno.EINVAL);
    }
    Staged st = stage(fh, bytes);
    return ask(fh, r -> new FileObject.Write(fh.generation(), off, st.last(), st.id(), st.parts(),
        r));
  }

  /** Appends atomically at the end; answers the offset the bytes were written at. */
  public CompletionStage<Reply<Long>> append(GlobalFileHandle fh, byte[] bytes) {
    if (bytes == null || bytes.length > settings.maxIoBytes()) {
      return done(Errno.EINVAL);
    }
    Staged st = stage(fh, bytes);
    return ask(fh, r -> new FileObject.Append(fh.generation(), st.last(), st.id(), st.parts(),
        r));
  }

  /** Sets the length: a shrunk tail is gone, a grown one reads as zeros. */
  public CompletionStage<Reply<FileStat>> truncate(GlobalFileHandle fh, long len) {
    if (len < 0) {
      return done(Errno.EINVAL);
    }
    return ask(fh, r -> new FileObject.Truncate(fh.generation(), len, r));
  }

  /**
   * Writes back this node's dirty pages of the file and waits for the store's commit. Pages
   * another node holds dirty are that node's to flush (its own fsync or write-back timer).
   */
  public CompletionStage<Reply<Void>> fsync(GlobalFileHandle fh) {
    return stat(fh).thenCompose(s -> !s.isOk() ? done(s.errno())
        : PageCache.get(system).fsync(fh.objectId()).thenCompose(r -> !r.isOk()
            ? done(r.errno())
            : PageStores.get(system).store().map(PageStore::flush).orElseGet(
                () -> done(Errno.EIO))));
  }

  /** Length, mtime, kind and generation; ESTALE when the object is gone. */
  public CompletionStage<Reply<FileStat>> stat(GlobalFileHandle fh) {
    return Namespace.get(system).stat(fh);
  }

  /** Handles hold no per-open state: close only checks the handle (ESTALE when stale). */
  public CompletionStage<Reply<Void>> close(GlobalFileHandle fh) {
    return stat(fh).thenApply(s -> s.isOk() ? Reply.ok(null) : Reply.error(s.errno()));
  }

  private <T> CompletionStage<Reply<T>> ask(GlobalFileHandle fh,
      akka.japi.function.Function<ActorRef<Reply<T>>, FileObject.Command> message) {
    return entity(fh).<Reply<T>>ask(message, settings.askTimeout())
        .handle((r, e) -> r != null ? r : Reply.<T>error(
            e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                ? Errno.ETIMEDOUT : Errno.EIO));
  }

  /** What stays for the operation's own message after the parts sent ahead. */
  private record Staged(long id, int parts, byte[] last) {
  }

  /**
   * Sends all but the last {@code ssi.files.message-chunk} of {@code bytes} ahead to the file's
   * entity as {@link FileObject.Stage} parts (one message must fit an Artery frame); the
   * operation that follows carries the rest. Small data is sent whole (id 0).
   */
  private Staged stage(GlobalFileHandle fh, byte[] bytes) {
    int chunk = settings.messageChunk();
    if (bytes.length <= chunk) {
      return new Staged(0, 0, bytes.clone());
    }
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    EntityRef<FileObject.Command> e = entity(fh);
    int parts = 0;
    int pos = 0;
    while (bytes.length - pos > chunk) {
      e.tell(new FileObject.Stage(id, parts++, java.util.Arrays.copyOfRange(bytes, pos,
          pos + chunk)));
      pos += chunk;
    }
    return new Staged(id, parts, java.util.Arrays.copyOfRange(bytes, pos, bytes.length));
  }

  private EntityRef<FileObject.Command> entity(GlobalFileHandle fh) {
    return ClusterSharding.get(system)
        .entityRefFor(FileObject.ENTITY_TYPE_KEY, Long.toString(fh.objectId()));
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

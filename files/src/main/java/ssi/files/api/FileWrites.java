package ssi.files.api;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;
import ssi.cache.store.PageStore;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;
import ssi.files.locks.NodeLock;
import ssi.files.locks.NodeLocks;

/**
 * The steps of reads and writes on this node, as stages, each under its range lock ({@link
 * NodeLocks}: a read holds a shared lock on its bytes, a write an exclusive one): check the
 * object row (ESTALE, EISDIR), move the data through this node's coherent page cache, commit the
 * length and mtime, release the lock. A read never observes part of a write, on any node, and
 * writers of disjoint ranges run at the same time, on one node or several.
 *
 * <p>Length. A write raises the length to at least its end ({@link PageStore#extendLength}, so
 * two writers extending at once never shorten each other's file) after its bytes are in the
 * coherent cache, so a reader that sees the new length reads the new bytes. An append locks from
 * the length it saw to the end of the file, then checks the length again under the lock (a
 * truncate may have shrunk it meanwhile: then it starts over); every write reaching past the
 * old length conflicts with that lock, so appends from any nodes never overlap. A truncate locks
 * the whole file. Bytes past the length are kept zero in every cache: a shrinking truncate zeroes
 * the old tail through the cache first.
 */
final class FileWrites {

  private static final long EOF = Long.MAX_VALUE;
  private static final int APPEND_RETRIES = 16;

  private final PageStore store;
  private final PageCache cache;
  private final NodeLocks locks;
  private final FilesSettings settings;
  private final String self;
  private final AtomicLong owners = new AtomicLong();

  FileWrites(PageStore store, PageCache cache, NodeLocks locks, FilesSettings settings,
      String self) {
    this.store = store;
    this.cache = cache;
    this.locks = locks;
    this.settings = settings;
    this.self = self;
  }

  /** Up to {@code len} bytes at {@code off} under a shared lock; none past the length. */
  CompletionStage<Reply<byte[]>> read(long obj, long generation, long off, int len) {
    return locked(obj, LockMode.SHARED, off, len, lock -> checked(obj, generation)
        .thenCompose(meta -> {
          if (!meta.isOk()) {
            return failed(meta.errno());
          }
          long known = Math.max(meta.value().length(), locks.localLength(obj));
          if (off + len <= known) {
            return cache.read(obj, off, len);
          }
          // Past the stored length: the node holding the end of the file may know more.
          return length(obj, generation).thenCompose(l -> {
            if (!l.isOk()) {
              return failed(l.errno());
            }
            int n = (int) Math.max(0, Math.min(len, l.value() - off));
            return n == 0 ? CompletableFuture.completedFuture(Reply.ok(new byte[0]))
                : cache.read(obj, off, n);
          });
        }));
  }

  /**
   * The file's length, glimpse first (the node that defers it, if any), then the stored row: a
   * holder that commits in between shows in the row.
   */
  CompletionStage<Reply<Long>> length(long obj, long generation) {
    return locks.glimpse(obj).thenCompose(g -> !g.isOk() ? failed(g.errno())
        : checked(obj, generation).thenApply(m -> !m.isOk() ? Reply.<Long>error(m.errno())
            : Reply.ok(Math.max(m.value().length(), g.value() == null ? -1
                : g.value().length()))));
  }

  /** Writes {@code data} at {@code offset}; the new stat. */
  CompletionStage<Reply<FileStat>> write(long obj, long generation, long offset, byte[] data) {
    if (data.length == 0) { // nothing to lock: only the length may move
      return checked(obj, generation).thenCompose(meta -> !meta.isOk() ? failed(meta.errno())
          : extend(obj, offset));
    }
    return locked(obj, LockMode.EXCLUSIVE, offset, data.length, lock -> checked(obj, generation)
        .thenCompose(meta -> !meta.isOk() ? failed(meta.errno())
            : cache.write(obj, offset, data).thenCompose(w -> !w.isOk() ? failed(w.errno())
                : extend(lock, meta.value(), offset + data.length))));
  }

  /** Appends {@code data} at the length; the offset it landed at. */
  CompletionStage<Reply<Long>> append(long obj, long generation, byte[] data) {
    return append(obj, generation, data, 0);
  }

  private CompletionStage<Reply<Long>> append(long obj, long generation, byte[] data,
      int attempt) {
    return checked(obj, generation).thenCompose(seen -> {
      if (!seen.isOk()) {
        return failed(seen.errno());
      }
      long from = Math.max(seen.value().length(), locks.localLength(obj));
      if (data.length == 0) {
        return CompletableFuture.completedFuture(Reply.ok(from));
      }
      // Any other node deferring the length holds the end of the file: this lock revokes it,
      // and it commits the length before it lets go. This node's own deferred length counts too.
      return this.<Long>lockedOrRetry(obj, from, lock -> checked(obj, generation)
          .thenCompose(meta -> {
            if (!meta.isOk()) {
              return failed(meta.errno());
            }
            long at = Math.max(meta.value().length(), locks.localLength(obj));
            if (at < from) { // shrunk since: the lock does not cover [at, from)
              return CompletableFuture.completedFuture(Reply.<Long>error(Errno.EAGAIN));
            }
            return cache.write(obj, at, data).thenCompose(w -> !w.isOk() ? failed(w.errno())
                : extend(lock, meta.value(), at + data.length).thenApply(s -> s.isOk()
                    ? Reply.ok(at) : Reply.<Long>error(s.errno())));
          }), r -> r.errno() == Errno.EAGAIN && attempt < APPEND_RETRIES
              ? append(obj, generation, data, attempt + 1) : null);
    });
  }

  /** Sets the length (the whole file locked); a shrunk tail is zeroed first. */
  CompletionStage<Reply<FileStat>> truncate(long obj, long generation, long length) {
    return locked(obj, LockMode.EXCLUSIVE, 0, EOF, lock -> checked(obj, generation)
        .thenCompose(meta -> {
          if (!meta.isOk()) {
            return failed(meta.errno());
          }
          long old = Math.max(meta.value().length(), locks.localLength(obj));
          CompletionStage<Reply<Void>> zeroed = length < old
              ? zero(obj, length, old) : CompletableFuture.completedFuture(Reply.ok(null));
          return zeroed.thenCompose(z -> !z.isOk() ? failed(z.errno())
              : locks.truncated(lock, () -> store.setLength(obj, length, Instant.now()))
                  .thenApply(FileWrites::stat));
        }));
  }

  /** The object row if it is a live file of that generation: else ESTALE or EISDIR. */
  CompletionStage<Reply<ObjectMeta>> checked(long obj, long generation) {
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

  /** Runs {@code body} holding a lock on {@code [offset, offset + length)}; released after. */
  private <T> CompletionStage<Reply<T>> locked(long obj, LockMode mode, long offset, long length,
      Function<NodeLock, CompletionStage<Reply<T>>> body) {
    return locks.acquire(obj, owner(), mode, offset, length).thenCompose(l -> {
      if (!l.isOk()) {
        return failed(l.errno());
      }
      return run(l.value(), body);
    });
  }

  /**
   * An append's lock from {@code from} to the end of the file; when the body's answer makes
   * {@code again} return a stage, that stage (the next attempt) runs after the lock is released.
   */
  private <T> CompletionStage<Reply<T>> lockedOrRetry(long obj, long from,
      Function<NodeLock, CompletionStage<Reply<T>>> body,
      Function<Reply<T>, CompletionStage<Reply<T>>> again) {
    return locked(obj, LockMode.EXCLUSIVE, from, EOF - from, body).thenCompose(r -> {
      CompletionStage<Reply<T>> next = r.isOk() ? null : again.apply(r);
      return next != null ? next : CompletableFuture.completedFuture(r);
    });
  }

  private static <T> CompletionStage<Reply<T>> run(NodeLock lock,
      Function<NodeLock, CompletionStage<Reply<T>>> body) {
    CompletionStage<Reply<T>> r;
    try {
      r = body.apply(lock);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
    return r.handle((x, e) -> {
      lock.release();
      return x != null ? x : Reply.<T>error(Errno.EIO);
    });
  }

  private LockOwner owner() {
    return new LockOwner(self, owners.incrementAndGet());
  }

  /** The length after an empty write at {@code atLeast}: committed to the store at once. */
  private CompletionStage<Reply<FileStat>> extend(long obj, long atLeast) {
    return store.extendLength(obj, atLeast, Instant.now()).thenApply(FileWrites::stat);
  }

  /**
   * After a write under {@code lock} ending at {@code end}: the new length and mtime are kept on
   * this node when it holds the end of the file exclusively (committed later, shown to others
   * by glimpse), else committed to the store now.
   */
  private CompletionStage<Reply<FileStat>> extend(NodeLock lock, ObjectMeta meta, long end) {
    Instant now = Instant.now();
    long length = Math.max(Math.max(meta.length(), locks.localLength(meta.id())), end);
    if (locks.deferLength(lock, length, now)) {
      return CompletableFuture.completedFuture(Reply.ok(FileStat.of(
          new ObjectMeta(meta.id(), meta.generation(), length, now, meta.kind()))));
    }
    return store.extendLength(meta.id(), end, now).thenApply(FileWrites::stat);
  }

  private static Reply<FileStat> stat(Reply<ObjectMeta> r) {
    return r.isOk() ? Reply.ok(FileStat.of(r.value()))
        : Reply.error(r.errno() == Errno.ENOENT ? Errno.ESTALE : r.errno());
  }

  /** Zeroes [from, to) through the cache, a chunk at a time. */
  private CompletionStage<Reply<Void>> zero(long obj, long from, long to) {
    if (from >= to) {
      return CompletableFuture.completedFuture(Reply.ok(null));
    }
    int n = (int) Math.min(settings.zeroChunk(), to - from);
    return cache.write(obj, from, new byte[n]).thenCompose(r -> r.isOk()
        ? zero(obj, from + n, to) : CompletableFuture.completedFuture(r));
  }

  private static <T> CompletionStage<Reply<T>> failed(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }
}

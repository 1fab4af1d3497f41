package ssi.files.api;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.RangeLock;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;
import ssi.cache.store.PageStore;
import ssi.files.FilesSettings;
import ssi.files.handle.FileStat;

/**
 * The steps of one file's length-changing operations, as stages, for its {@link FileObject}
 * (which runs one at a time): check the object row (ESTALE, EISDIR), take the exclusive range
 * lock on what changes, move the data through this node's page cache, commit the length and
 * mtime, release the lock. Holds no state of its own; the lock manager is thread-safe, so the
 * stages may run off the actor.
 */
final class FileWrites {

  private final long obj;
  private final PageStore store;
  private final PageCache cache;
  private final FilesSettings settings;
  private final RangeLock locks;
  private final LockOwner writer;

  FileWrites(long obj, PageStore store, PageCache cache, FilesSettings settings, RangeLock locks,
      LockOwner writer) {
    this.obj = obj;
    this.store = store;
    this.cache = cache;
    this.settings = settings;
    this.locks = locks;
    this.writer = writer;
  }

  /** Writes {@code data} at {@code offset}; the new stat. */
  CompletionStage<Reply<FileStat>> write(long generation, long offset, byte[] data) {
    return checked(generation).thenCompose(meta -> !meta.isOk()
        ? failed(meta.errno())
        : exclusive(offset, data.length, () -> cache.write(obj, offset, data)
            .thenCompose(w -> !w.isOk() ? failed(w.errno())
                : setLength(Math.max(meta.value().length(), offset + data.length)))));
  }

  /** Appends {@code data} at the length; the offset it landed at. */
  CompletionStage<Reply<Long>> append(long generation, byte[] data) {
    return checked(generation).thenCompose(meta -> {
      if (!meta.isOk()) {
        return failed(meta.errno());
      }
      long at = meta.value().length();
      return exclusive(at, data.length, () -> cache.write(obj, at, data)
          .thenCompose(w -> !w.isOk() ? failed(w.errno())
              : setLength(at + data.length).thenApply(s -> s.isOk() ? Reply.ok(at)
                  : Reply.<Long>error(s.errno()))));
    });
  }

  /** Sets the length; a shrunk tail is zeroed first so a later extension reads zeros. */
  CompletionStage<Reply<FileStat>> truncate(long generation, long length) {
    return checked(generation).thenCompose(meta -> {
      if (!meta.isOk()) {
        return failed(meta.errno());
      }
      long old = meta.value().length();
      long from = Math.min(old, length); // everything from here on may change
      return exclusive(from, Long.MAX_VALUE - from, () -> {
        CompletionStage<Reply<Void>> zeroed = length < old
            ? zero(length, old) : CompletableFuture.completedFuture(Reply.ok(null));
        return zeroed.thenCompose(z -> !z.isOk() ? failed(z.errno()) : setLength(length));
      });
    });
  }

  /** The object row if it is a live file of that generation: else ESTALE or EISDIR. */
  CompletionStage<Reply<ObjectMeta>> checked(long generation) {
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

  /**
   * Runs {@code body} holding an exclusive lock on {@code [offset, offset + length)} (nothing
   * to lock when empty), released when its stage completes.
   */
  private <T> CompletionStage<Reply<T>> exclusive(long offset, long length,
      Supplier<CompletionStage<Reply<T>>> body) {
    if (length <= 0) {
      return body.get();
    }
    return locks.acquire(writer, LockMode.EXCLUSIVE, offset, length, settings.askTimeout())
        .thenCompose(l -> {
          if (!l.isOk()) {
            return failed(l.errno());
          }
          CompletionStage<Reply<T>> r;
          try {
            r = body.get();
          } catch (RuntimeException e) {
            l.value().release();
            throw e;
          }
          return r.whenComplete((x, e) -> l.value().release());
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

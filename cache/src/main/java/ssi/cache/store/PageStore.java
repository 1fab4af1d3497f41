package ssi.cache.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * The authoritative copy of VM objects: their attributes ({@link ObjectMeta}) and their pages
 * ({@link Page}). Every method returns at once; the work runs on the store's own executor and the
 * stage completes with a {@link Reply}: {@link Errno#OK} and a value, or an errno, never an
 * exceptional completion. Safe to call from an actor (pipe the stage to yourself). Stages
 * complete on a store thread, so non-async callbacks run there: keep them short.
 *
 * <p><b>Durability.</b> Mutations ({@code create}, {@code delete}, {@code write}, {@code
 * setLength}, {@code flush}) are applied in the order they were called and grouped into
 * transactions; a mutation's stage completes only after the transaction that contains it has
 * committed, so an OK write is as durable as the database makes a commit ({@code fsync}
 * semantics). {@link #flush()} completes after everything called before it has committed. Reads
 * see every mutation whose stage has completed; they may or may not see one still in flight.
 *
 * <p><b>Errors.</b> {@code EIO}: the database is down or unreachable, or the operation timed out
 * (a write may then have committed or not, as with a failed {@code fsync}). {@code ENOENT}: no
 * such object. {@code EEXIST}: the object already exists. {@code EINVAL}: bad arguments (a
 * negative page number, a page of the wrong size, a negative length, too large a range); nothing
 * is changed. {@code EAGAIN}: too many mutations waiting. {@code EBADF}: the store is closed.
 *
 * <pre>{@code
 * store.createObject(42, ObjectKind.FILE)
 *     .thenCompose(r -> store.writePages(42, List.of(new Page(0, 1, bytes))))
 *     .thenAccept(r -> { if (r.isOk()) { ... committed ... } });
 * }</pre>
 */
public interface PageStore extends AutoCloseable {

  /** Bytes per page ({@code ssi.page-size}); every page written must have exactly this size. */
  int pageSize();

  /**
   * Creates an object of length 0 with mtime now: generation 1, or one more than the last
   * generation if the id was used before and deleted. {@code EEXIST} if it exists.
   */
  CompletionStage<Reply<ObjectMeta>> createObject(long id, ObjectKind kind);

  /** The object's attributes; {@code ENOENT} if there is no such object. */
  CompletionStage<Reply<ObjectMeta>> getObject(long id);

  /** Deletes the object and all its pages; {@code ENOENT} if there is no such object. */
  CompletionStage<Reply<Void>> deleteObject(long id);

  /**
   * One page. A page never written (a hole) comes back as zeros with serial 0. {@code ENOENT}
   * for an unknown object, {@code EINVAL} for a negative page number.
   */
  CompletionStage<Reply<Page>> readPage(long id, long pageNumber);

  /**
   * The pages that were written among {@code count} pages from {@code firstPage}, in page order;
   * holes are left out (they read as zeros). {@code EINVAL} when {@code count} is negative or
   * above {@code ssi.store.max-pages-per-read}.
   */
  CompletionStage<Reply<List<Page>>> readPages(long id, long firstPage, int count);

  /**
   * Writes pages of one object (each replaces the stored page of its number, serial included);
   * completes after the commit. Leaves length and mtime alone ({@link #setLength} sets them).
   * {@code ENOENT} for an unknown object, {@code EINVAL} for a negative page number or serial or
   * a page that is not {@link #pageSize()} bytes (then no page of the call is written).
   */
  CompletionStage<Reply<Void>> writePages(long id, List<Page> pages);

  /**
   * Sets the object's length and mtime. Shrinking drops the pages past the new end and zeroes
   * the tail of the last page (bumping its serial), so a later extension reads zeros there.
   * Completes after the commit with the new attributes. {@code ENOENT}, {@code EINVAL} for a
   * negative length.
   */
  CompletionStage<Reply<ObjectMeta>> setLength(long id, long length, Instant mtime);

  /**
   * Raises the object's length to at least {@code atLeast} (a longer one is kept) and sets its
   * mtime; completes after the commit with the new attributes. Writers of disjoint ranges commit
   * with it concurrently and never shorten each other's file. {@code ENOENT}, {@code EINVAL}.
   */
  CompletionStage<Reply<ObjectMeta>> extendLength(long id, long atLeast, Instant mtime);

  /** Completes after every mutation called before it has committed ({@code fsync}). */
  CompletionStage<Reply<Void>> flush();

  // ---- Namespace (files module): directory entries beside the objects they name. ----
  // Defaults answer EOPNOTSUPP so other implementations need not carry a namespace.

  /** A fresh cluster-unique object id (from a database sequence; never reused). */
  default CompletionStage<Reply<Long>> nextObjectId() {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /**
   * The entry {@code name} of directory {@code dir} (generation {@code dirGen}): ENOENT when
   * there is none, ESTALE when the directory is gone or of another generation, ENOTDIR when the
   * object is not a directory.
   */
  default CompletionStage<Reply<DirEntry>> lookupEntry(long dir, long dirGen, String name) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /** The directory's entries sorted by name, read in one snapshot; errors as lookupEntry. */
  default CompletionStage<Reply<List<DirEntry>>> listEntries(long dir, long dirGen) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /** The entries of several directories in one snapshot (one statement). */
  default CompletionStage<Reply<List<DirEntry>>> snapshotEntries(List<Long> dirs) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /**
   * Creates an object of {@code kind} (FILE or DIRECTORY) with a fresh id and the entry
   * {@code name} for it, in one transaction; EEXIST when the name is taken.
   */
  default CompletionStage<Reply<DirEntry>> createEntry(long dir, long dirGen, String name,
      ObjectKind kind) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /**
   * Removes the entry and deletes its object in one transaction. {@code kind} FILE is unlink
   * (EISDIR for a directory), DIRECTORY is rmdir (ENOTDIR for a file, ENOTEMPTY).
   */
  default CompletionStage<Reply<DirEntry>> removeEntry(long dir, long dirGen, String name,
      ObjectKind kind) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /**
   * POSIX rename in one transaction (atomic also across directories): replaces a destination of
   * the same kind (a directory only when empty); ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL (a
   * directory into itself or below), ESTALE for a stale directory. Answers the moved entry.
   */
  default CompletionStage<Reply<DirEntry>> renameEntry(long srcDir, long srcGen, String srcName,
      long dstDir, long dstGen, String dstName) {
    return java.util.concurrent.CompletableFuture.completedFuture(Reply.error(Errno.EOPNOTSUPP));
  }

  /** Counters since the store was opened. */
  StoreStats stats();

  /**
   * Stops taking operations ({@code EBADF} from now on), lets those already taken finish within
   * {@code ssi.store.operation-timeout}, and releases the connections. Blocks the caller: call it
   * at shutdown, not from an actor.
   */
  @Override
  void close();
}

package ssi.files.locks;

import java.util.concurrent.atomic.AtomicBoolean;
import ssi.actors.lwkt.Errno;
import ssi.cache.rangelock.Lock;

/**
 * A range lock held on this node ({@link NodeLocks#acquire}): the local lock plus the cached
 * extent that covers it. Give it back once with {@link #release()}.
 */
public final class NodeLock {

  private final ObjectLocks owner;
  private final Lock local;
  private final ObjectLocks.Extent extent;
  private final long[] range;
  private final AtomicBoolean released = new AtomicBoolean();

  NodeLock(ObjectLocks owner, Lock local, ObjectLocks.Extent extent, long[] range) {
    this.owner = owner;
    this.local = local;
    this.extent = extent;
    this.range = range;
  }

  /** The hull of the locked ranges, as the extent counts its users (identity matters). */
  long[] range() {
    return range;
  }

  /** The file's id. */
  public long object() {
    return owner.obj;
  }

  ObjectLocks owner() {
    return owner;
  }

  Lock local() {
    return local;
  }

  ObjectLocks.Extent extent() {
    return extent;
  }

  /** Gives the lock back; {@code EBADF} when it was already given back. */
  public Errno release() {
    if (!released.compareAndSet(false, true)) {
      return Errno.EBADF;
    }
    owner.released(this);
    return Errno.OK;
  }
}

package ssi.cache.rangelock;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import ssi.actors.lwkt.Errno;

/**
 * The ranges of a transaction ({@link RangeLocks#acquireAll}), all held at once: one {@link Lock}
 * per object (holding every range asked on that object), in object order. Give them back
 * together with {@link #release()}.
 */
public final class Reservation {

  private final List<Lock> locks;
  private final AtomicBoolean released = new AtomicBoolean();

  Reservation(List<Lock> locks) {
    this.locks = List.copyOf(locks);
  }

  /** The locks, one per object, by ascending object id. */
  public List<Lock> locks() {
    return locks;
  }

  /** Releases every lock; {@code EBADF} if the reservation was already released. */
  public Errno release() {
    if (!released.compareAndSet(false, true)) {
      return Errno.EBADF;
    }
    Errno result = Errno.OK;
    for (Lock lock : locks) {
      Errno e = lock.release();
      if (e != Errno.OK) {
        result = e;
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return "Reservation" + locks;
  }
}

package ssi.files.api;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import ssi.cache.rangelock.Lock;

/**
 * The shared locks a {@link FileObject} has granted to readers on any node, by lock id; touched
 * only by the entity (its actor thread). A lock goes away when its reader says so ({@code
 * Unlock}), when the reader's node leaves the cluster, or when it outlives the lease
 * ({@code ssi.files.lock-lease}), so a crashed or silent reader never blocks writers for good.
 * An unlock that overtakes its grant (the reader gave up waiting) is remembered and the lock is
 * let go as soon as it is granted.
 */
final class ReadLocks {

  private record Held(Lock lock, String node, long sinceNanos) {
  }

  private final Map<Long, Held> held = new HashMap<>();
  private final Set<Long> pending = new HashSet<>();
  private final Set<Long> cancelled = new HashSet<>();

  /** A request {@code id} now waits for its lock. */
  void waiting(long id) {
    pending.add(id);
  }

  /**
   * The lock of request {@code id} was granted: kept, unless the reader already gave up (then
   * released here). Whether it is kept.
   */
  boolean granted(long id, String node, Lock lock, long nowNanos) {
    pending.remove(id);
    if (cancelled.remove(id)) {
      lock.release();
      return false;
    }
    held.put(id, new Held(lock, node, nowNanos));
    return true;
  }

  /** The request {@code id} failed (e.g. ETIMEDOUT): nothing to keep. */
  void failed(long id) {
    pending.remove(id);
    cancelled.remove(id);
  }

  /** The reader is done with {@code id} (or gave up waiting for it). */
  void unlock(long id) {
    Held h = held.remove(id);
    if (h != null) {
      h.lock().release();
    } else if (pending.contains(id)) {
      cancelled.add(id);
    }
  }

  /** Releases every lock held by readers on {@code node}; how many. */
  int nodeGone(String node) {
    return releaseIf(h -> h.node().equals(node));
  }

  /** Releases every lock held longer than {@code leaseNanos}; how many. */
  int expire(long nowNanos, long leaseNanos) {
    return releaseIf(h -> nowNanos - h.sinceNanos() > leaseNanos);
  }

  /** Whether no reader holds a lock. */
  boolean isEmpty() {
    return held.isEmpty();
  }

  private int releaseIf(java.util.function.Predicate<Held> which) {
    int n = 0;
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (which.test(h)) {
        it.remove();
        h.lock().release();
        n++;
      }
    }
    return n;
  }
}

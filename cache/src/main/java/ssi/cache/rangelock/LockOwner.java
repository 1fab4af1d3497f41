package ssi.cache.rangelock;

/**
 * Who holds a range lock (DESIGN §8): a node and a process or thread id on it. Locks are not
 * reentrant: the same owner asking twice for overlapping conflicting ranges waits for itself, so
 * a caller that needs several ranges at once reserves them in one call ({@link
 * RangeLock#acquire(LockOwner, java.util.List, java.time.Duration)} or {@link
 * RangeLocks#acquireAll}).
 *
 * @param node the node's name (its cluster address, as the coherence layer names it)
 * @param id the process or thread on that node
 */
public record LockOwner(String node, long id) {}

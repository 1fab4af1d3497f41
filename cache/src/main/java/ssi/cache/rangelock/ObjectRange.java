package ssi.cache.rangelock;

/**
 * One range of a transaction ({@link RangeLocks#acquireAll}): a byte range of the object
 * {@code object}.
 *
 * <pre>{@code
 * locks.acquireAll(owner, List.of(
 *     new ObjectRange(7, new LockRange(LockMode.SHARED, 0, 4096)),
 *     new ObjectRange(3, new LockRange(LockMode.EXCLUSIVE, 8192, 512))), timeout);
 * }</pre>
 *
 * @param object the VM object's id
 * @param range the range and its mode
 */
public record ObjectRange(long object, LockRange range) {}

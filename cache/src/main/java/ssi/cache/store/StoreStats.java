package ssi.cache.store;

/**
 * Counters of a page store since it was opened.
 *
 * @param commits group-commit transactions committed
 * @param committedMutations mutations (writes, creates, deletes, length changes, flushes) those
 *     transactions carried; {@code committedMutations / commits} is the batching factor
 * @param failedCommits transactions that failed (their callers got an errno)
 * @param reads read operations that reached the database
 * @param available whether the store is currently reachable (false after a failure until an
 *     operation succeeds again)
 */
public record StoreStats(long commits, long committedMutations, long failedCommits, long reads,
    boolean available) {
}

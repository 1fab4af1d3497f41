/**
 * Range locks (DESIGN §8): per object, on this node, shared and exclusive locks over byte ranges,
 * FIFO-fair, disjoint ranges in parallel; and transactions reserving ranges of several objects
 * all or nothing, in a global order that cannot deadlock.
 *
 * <p>{@link ssi.cache.rangelock.RangeLock} is one object's manager (design notes at its top),
 * {@link ssi.cache.rangelock.RangeLocks} the node's registry with transactions and a
 * {@code snapshot()} for {@code GET /ssi/locks}. Acquisitions return a {@code CompletionStage},
 * already completed on the fast path; errors are {@code Errno} values. Not yet: coupling with
 * coherence (a shared lock needs ≥ S, an exclusive one E/M) and releasing a crashed node's locks
 * with its grants — the stage is where a later version will wait for those grants.
 */
package ssi.cache.rangelock;

package ssi.cache.rangelock;

import java.time.Instant;

/**
 * One row of {@link RangeLocks#snapshot()}: a range held or waited for, for {@code GET /ssi/locks}.
 * A multi-range lock gives one row per range, all with the same {@code since}.
 *
 * @param owner who holds or waits
 * @param mode shared or exclusive
 * @param offset the first byte
 * @param length the number of bytes
 * @param since when the request arrived (wall clock)
 * @param held true when granted, false while waiting
 */
public record LockInfo(
    LockOwner owner, LockMode mode, long offset, long length, Instant since, boolean held) {}

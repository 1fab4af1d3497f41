package ssi.process.core;

/**
 * What a migrated process does with the result of a memory access while its source may still
 * hold modified pages of its address space (DESIGN §10 step 4, invariant 6).
 */
enum SourceGate {
  /** Use it: the source has written back, or is a reachable member. */
  USE,
  /** Hold it and ask again: the source is unreachable, it may come back or be removed. */
  HOLD,
  /** Memory lost: the source is down or removed before writing back; the page may be stale. */
  LOST;

  /** The decision, from this node's view of the source. */
  static SourceGate of(boolean writtenBack, boolean alive, boolean unreachable) {
    if (writtenBack) {
      return USE;
    }
    if (!alive) {
      return LOST;
    }
    return unreachable ? HOLD : USE;
  }
}

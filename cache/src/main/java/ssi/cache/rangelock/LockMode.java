package ssi.cache.rangelock;

/**
 * How a range is locked: {@link #SHARED} for readers (compatible with each other),
 * {@link #EXCLUSIVE} for writers (compatible with nothing that overlaps).
 */
public enum LockMode {
  /** A read lock: overlapping shared locks are held together. */
  SHARED,
  /** A write lock: no overlapping lock of any mode is held at the same time. */
  EXCLUSIVE;

  /** Whether two overlapping locks of these modes may be held together. */
  public boolean compatibleWith(LockMode other) {
    return this == SHARED && other == SHARED;
  }
}

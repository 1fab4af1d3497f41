package ssi.cache.rangelock;

/**
 * One byte range of one object, locked in one mode: {@code [offset, offset + length)}. Not
 * validated here, so that bad input reaches the lock manager and comes back as {@code EINVAL}
 * rather than as an exception: {@code offset >= 0}, {@code length > 0} and no overflow of the end.
 *
 * @param mode shared or exclusive
 * @param offset the first byte
 * @param length the number of bytes
 */
public record LockRange(LockMode mode, long offset, long length) {

  /** Whether the range is well formed: a mode, a non-negative offset, a positive length, no overflow. */
  public boolean valid() {
    return mode != null && offset >= 0 && length > 0 && offset + length > offset;
  }
}

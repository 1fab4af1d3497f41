package ssi.cache.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The attributes of one VM object as the page store holds them.
 *
 * @param id the cluster-unique object id
 * @param generation bumped each time the id is created again after a delete, so a handle to the
 *     deleted object can be told apart ({@code ESTALE}); the first creation is generation 1
 * @param length the object's length in bytes
 * @param mtime last modification time, kept to the microsecond (the database's resolution)
 * @param kind what the object backs
 */
public record ObjectMeta(long id, long generation, long length, Instant mtime, ObjectKind kind) {

  /** Checks the values and truncates {@code mtime} to microseconds. */
  public ObjectMeta {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be >= 1, got " + generation);
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    mtime = Objects.requireNonNull(mtime, "mtime").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(kind, "kind");
  }
}

package ssi.files.locks;

/**
 * A file's length and mtime as a node that defers them knows them (not yet in the store): the
 * answer to a glimpse (DESIGN §7).
 *
 * @param length the length, at least the stored one
 * @param mtimeMicros the mtime in microseconds since the epoch
 */
public record FileAttrs(long length, long mtimeMicros) implements ssi.actors.SsiMessage {

  /** The mtime as an instant. */
  public java.time.Instant mtime() {
    return NodeLocks.micros(mtimeMicros);
  }
}

package ssi.files.handle;

import ssi.actors.SsiMessage;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;

/**
 * What {@code stat} answers for a handle.
 *
 * @param objectId the object id
 * @param generation the object's generation
 * @param length the length in bytes
 * @param mtimeMicros last modification, microseconds since the epoch
 * @param kind FILE or DIRECTORY
 */
public record FileStat(long objectId, long generation, long length, long mtimeMicros,
    ObjectKind kind) implements SsiMessage {

  /** The stat of a page-store object row. */
  public static FileStat of(ObjectMeta m) {
    long micros = m.mtime().getEpochSecond() * 1_000_000L + m.mtime().getNano() / 1_000;
    return new FileStat(m.id(), m.generation(), m.length(), micros, m.kind());
  }

  /** The handle this stat is of. */
  public GlobalFileHandle handle() {
    return new GlobalFileHandle(objectId, generation);
  }
}

package ssi.cache.store;

import java.util.Objects;
import ssi.actors.SsiMessage;

/**
 * One directory entry as the page store holds it: the name {@code name} in directory
 * {@code dirId} refers to object {@code childId} of generation {@code generation}.
 *
 * @param dirId the directory's object id
 * @param name the entry's name (validated by the namespace before it reaches the store)
 * @param childId the object the name refers to
 * @param generation the object's generation when the entry was made (its handle's generation)
 * @param kind {@link ObjectKind#FILE} or {@link ObjectKind#DIRECTORY}
 */
public record DirEntry(long dirId, String name, long childId, long generation, ObjectKind kind)
    implements SsiMessage {

  /** The root directory's object id: just below the allocated ids, above hand-picked ones. */
  public static final long ROOT_DIRECTORY = 4_294_967_295L;


  /** Checks the values. */
  public DirEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }
}

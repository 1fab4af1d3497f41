package ssi.files.handle;

import ssi.actors.SsiMessage;

/**
 * A global file handle: the object id and its generation. Valid on every node and across
 * process migration; once the object is deleted (and maybe re-created under the same id with a
 * higher generation) every operation on the handle answers {@code ESTALE}.
 *
 * @param objectId the cluster-unique object id
 * @param generation the object's generation when the handle was made
 */
public record GlobalFileHandle(long objectId, long generation) implements SsiMessage {

  /** The root directory's handle (the well-known id 1, generation 1). */
  public static final GlobalFileHandle ROOT =
      new GlobalFileHandle(ssi.cache.store.DirEntry.ROOT_DIRECTORY, 1);

  @Override
  public String toString() {
    return objectId + "." + generation;
  }
}

package ssi.cache.pagecache;

import ssi.actors.SsiMessage;

/**
 * A restarted directory asks a node what it holds of object {@code obj} (answered with a
 * {@link HolderReport}); the node then adopts generation {@code dirGen} and sends its pending
 * requests for the object again.
 *
 * @param obj the object
 * @param dirGen the new directory incarnation
 */
public record HolderQuery(long obj, long dirGen) implements SsiMessage {
}

package ssi.cache.pagecache;

import ssi.actors.SsiMessage;
import ssi.cache.coherence.CoherenceMsg;

/**
 * A protocol message for a node's page cache, stamped with the generation of the directory
 * incarnation it belongs to: after a directory restarted and rebuilt, messages of the old
 * incarnation still in flight are recognised and ignored.
 *
 * @param dirGen the directory incarnation (0 when sent by a node that knows none)
 * @param msg the protocol message
 */
public record NodeDelivery(long dirGen, CoherenceMsg.ToNode msg) implements SsiMessage {
}

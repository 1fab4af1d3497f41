package ssi.cache.pagecache;

import akka.actor.typed.ActorRef;
import ssi.actors.SsiMessage;
import ssi.cache.coherence.CoherenceMsg;
import ssi.cache.directory.BackingStore;

/**
 * A protocol message for a node's page cache, stamped with the generation of the directory
 * incarnation it belongs to: after a directory restarted and rebuilt, messages of the old
 * incarnation still in flight are recognised and ignored.
 *
 * @param dirGen the directory incarnation (0 when sent by a node that knows none)
 * @param msg the protocol message
 * @param directory the directory incarnation itself when it sent this (null for data sent by a
 *     node): the node sends its next messages for the object straight to it, without Cluster
 *     Sharding's hops, for as long as it lives
 */
public record NodeDelivery(long dirGen, CoherenceMsg.ToNode msg,
    ActorRef<BackingStore.Command> directory) implements SsiMessage {
}

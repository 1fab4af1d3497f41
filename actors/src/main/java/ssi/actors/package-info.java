/**
 * The node-internal core, after DragonFly BSD's LWKT: messages and ports with a fast synchronous
 * path, CPU actors that talk by IPI messages instead of sharing locks, LWKT threads bound to a CPU,
 * and BGL domains that show which subsystems are still serialised. {@link ssi.actors.SsiMessage}
 * marks everything that may leave the node.
 */
package ssi.actors;

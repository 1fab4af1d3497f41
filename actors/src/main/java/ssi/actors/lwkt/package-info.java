/**
 * LWKT messages and ports (DESIGN §3). As in DragonFly, a message is a request that gets exactly
 * one reply, and a port decides how it is handled: its agent may complete it inline in the
 * caller's thread (the fast synchronous path, no actor hop), or it is queued to the port's actor.
 * Errors cross ports as {@link ssi.actors.lwkt.Errno} values; one atomic state per message makes
 * reply, abort, drop and timeout race safely to a single reply.
 */
package ssi.actors.lwkt;

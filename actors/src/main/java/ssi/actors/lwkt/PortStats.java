package ssi.actors.lwkt;

/**
 * A snapshot of one port's counters, as exported at {@code /ssi/ports}.
 *
 * @param id node-unique port id
 * @param name the port's name
 * @param kind thread, serializer or reply-only
 * @param closed whether the port refuses new messages
 * @param sent messages sent to it ({@code domsg} and {@code sendmsg})
 * @param inline completed by the agent in the caller's thread
 * @param queued queued to the port's actor (for a reply-only port: replies delivered to it)
 * @param replied replied by the target
 * @param aborted aborted while queued (replied EINTR)
 * @param dropped dropped by the owner (replied ECANCELED)
 * @param timedOut given up by the sender's deadline (replied ETIMEDOUT)
 * @param duplicateRepliesRefused second replies to an already-ended message, refused
 * @param inFlight sent but not yet ended
 */
public record PortStats(long id, String name, PortKind kind, boolean closed, long sent,
    long inline, long queued, long replied, long aborted, long dropped, long timedOut,
    long duplicateRepliesRefused, long inFlight) {
}

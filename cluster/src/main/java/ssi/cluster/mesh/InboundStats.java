package ssi.cluster.mesh;

/**
 * What this node's endpoints saw from one remote link, as {@code GET /ssi/mesh} shows it.
 *
 * @param from the remote node's address
 * @param cpu the remote CPU the link belongs to
 * @param channel {@code control} or {@code bulk}
 * @param processed requests delivered to a local port (each at most once)
 * @param duplicatesSuppressed retransmitted requests answered from the reply cache or ignored
 * @param deferred requests not taken because the link's inbound reservation was full
 * @param cachedReplies replies kept until the sender acknowledges them
 * @param replyBytes reply bytes sent back
 */
public record InboundStats(String from, int cpu, String channel, long processed, long duplicatesSuppressed,
    long deferred, int cachedReplies, long replyBytes) {
}

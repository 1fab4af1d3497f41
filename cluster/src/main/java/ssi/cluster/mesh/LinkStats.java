package ssi.cluster.mesh;

/**
 * One (local CPU, remote node) link's counters, as {@code GET /ssi/mesh} shows them.
 *
 * @param node the remote node's address
 * @param cpu the local CPU the link belongs to
 * @param state {@code up}, or {@code down} once the remote node left or was downed
 * @param creditsInUse messages sent and not yet answered
 * @param credits the link's credit window ({@code ssi.mesh.credits})
 * @param queued messages waiting for a credit
 * @param sent messages sent (first transmissions)
 * @param replies replies received and delivered
 * @param retransmits transmissions repeated after {@code ssi.mesh.retry-after}
 * @param timeouts messages ended with ETIMEDOUT
 * @param hostDown messages ended with EHOSTDOWN
 * @param refused messages refused with EAGAIN (queue full) or EINVAL (not serializable)
 * @param lateReplies replies that came after the message had ended (ignored)
 * @param controlBytes payload bytes sent on the ordinary (control) stream, retransmits included
 * @param bulkBytes payload bytes sent on the large-message (bulk) stream, retransmits included
 */
public record LinkStats(String node, int cpu, String state, int creditsInUse, int credits,
    int queued, long sent, long replies, long retransmits, long timeouts, long hostDown,
    long refused, long lateReplies, long controlBytes, long bulkBytes) {
}

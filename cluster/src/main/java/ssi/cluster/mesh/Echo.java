package ssi.cluster.mesh;

import ssi.actors.SsiMessage;

/**
 * The body of a message to the diagnostic port {@code mesh.echo} that every node publishes: the
 * reply is {@code payload}, after {@code holdMillis} (0 = inline, on the fast path). Used by the
 * mesh load runner, the multi-JVM tests and the benchmarks.
 *
 * @param payload what comes back
 * @param holdMillis how long the echo port holds the message before replying
 */
public record Echo(String payload, long holdMillis) implements SsiMessage {
}

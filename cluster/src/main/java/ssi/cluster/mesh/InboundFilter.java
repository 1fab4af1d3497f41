package ssi.cluster.mesh;

/**
 * A test hook on the receiving side: a request it does not accept is treated as lost on the
 * wire. Production nodes use {@link #ACCEPT_ALL}; tests install others through
 * {@link Mesh#setInboundFilter} to prove retransmission and de-duplication.
 */
@FunctionalInterface
public interface InboundFilter {

  /** Lets everything through. */
  InboundFilter ACCEPT_ALL = r -> true;

  /** Whether {@code request} arrives. */
  boolean accept(MeshEndpoint.Request request);
}

package ssi.cluster.mesh;

/**
 * Implemented by message bodies that carry bulk data (page contents, a transfer's bytes). A body
 * whose {@link #bulkBytes()} reaches {@code ssi.mesh.bulk-threshold} (one page by default)
 * travels on Artery's large-message stream, so it never delays coherence and control traffic.
 */
public interface Bulk {

  /** How many bytes of bulk data this body carries. */
  int bulkBytes();
}

/**
 * The mesh, after the seed's "message traffic mesh" and "proxy message ports": one logical link
 * per (local CPU, remote node) with credit flow control, proxy ports that hold each message until
 * its reply or a failure, retransmission with receiver-side de-duplication (processed at most
 * once, replied exactly once), EHOSTDOWN at once when a node is lost, and a separate bulk channel
 * on Artery's large-message stream so data never delays coherence traffic.
 */
package ssi.cluster.mesh;

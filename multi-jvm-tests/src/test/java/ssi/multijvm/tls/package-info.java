/**
 * Mutual TLS between nodes across real node JVMs: only a node certified by the cluster's CA joins.
 */
package ssi.multijvm.tls;

/**
 * The node's identity: its settings ({@code ssi.node}), and {@code GET /ssi/node}, which tells a
 * user or a tool which node answered and how it stands in the cluster.
 */
package ssi.cluster.node;

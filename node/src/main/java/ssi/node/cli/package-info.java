/**
 * The {@code ssi} command-line client (picocli, one class per sub-command): {@code up},
 * {@code status}, {@code down}; the process commands {@code ps}, {@code spawn}, {@code migrate},
 * {@code kill}, {@code watch}, {@code attach}, {@code drain} (subclasses of
 * {@link ssi.node.cli.ClusterCommand}: {@code --node}, exit 1 refused, 2 unreachable); and
 * {@code demo}, the live-migration demo. It starts node JVMs for a local cluster, and the
 * embedded PostgreSQL page store they share ({@link ssi.node.cli.LocalStore}), and talks to nodes
 * only through their management HTTP interface, as any outside tool would.
 */
package ssi.node.cli;

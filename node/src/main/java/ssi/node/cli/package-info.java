/**
 * The {@code ssi} command-line client (picocli, one class per sub-command): {@code up},
 * {@code status}, {@code down}, {@code demo}. It starts node JVMs for a local cluster, and the
 * embedded PostgreSQL page store they share ({@link ssi.node.cli.LocalStore}), and talks to nodes
 * only through their management HTTP interface, as any outside tool would.
 */
package ssi.node.cli;

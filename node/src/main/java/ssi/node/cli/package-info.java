/**
 * The {@code ssi} command-line client (picocli, one class per sub-command): {@code up},
 * {@code status}, {@code down}. It starts node JVMs for a local cluster and talks to nodes only
 * through their management HTTP interface, as any outside tool would.
 */
package ssi.node.cli;

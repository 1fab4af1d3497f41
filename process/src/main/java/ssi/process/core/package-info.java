/**
 * Processes: the process actor (steps, system calls, migration on both sides), each node's
 * process table, and the cluster-wide API ({@link ssi.process.core.Processes}).
 */
package ssi.process.core;

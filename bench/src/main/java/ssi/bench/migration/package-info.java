/**
 * The {@code migration} suite ({@link ssi.bench.migration.MigrationSuite}): the pauses of a live
 * piecemeal migration against a stop-and-copy of the same process and against a raw Artery round
 * trip, the pages a migration moves against the pages the process touches afterwards, and the
 * heap of idle processes and of an idle node, on two full cluster nodes in this JVM with an
 * embedded PostgreSQL page store ({@link ssi.bench.migration.MigrationNodes}).
 */
package ssi.bench.migration;

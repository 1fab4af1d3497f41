/**
 * Migrations as users see them: events per piece (core, each fd, the source's write-back),
 * each node's log of them, the live stream behind {@code GET /ssi/migrations/stream}.
 */
package ssi.process.migration;

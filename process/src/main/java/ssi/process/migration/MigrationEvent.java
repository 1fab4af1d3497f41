package ssi.process.migration;


/**
 * One piece of a migration as it happens (the core hand-off, one fd driver's move, the source's
 * write-back, the end), sent to every node's {@link MigrationLog} and streamed to
 * {@code GET /ssi/migrations/stream}. {@code state}: in-progress, complete, resumed-on-source,
 * memory-lost, failed.
 */
public record MigrationEvent(String migration, long pid, String program, String from, String to,
    String piece, double pauseMs, long atMillis, String state) implements MigrationLog.Command {
}

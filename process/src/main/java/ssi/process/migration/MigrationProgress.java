package ssi.process.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * One migration as its target node sees it: the pieces so far (the core first, then each fd
 * driver, the source's write-back), each published to every node's {@link MigrationLog} as it
 * happens, and the finished {@link MigrationRecord} answered to whoever asked for the migration.
 * Not thread-safe: owned by the migrating process's actor.
 */
public final class MigrationProgress {

  private final Migrations migrations;
  private MigrationRecord record;

  /** The migration {@code id} of process {@code pid} from node {@code from} to {@code to}. */
  public MigrationProgress(Migrations migrations, String id, long pid, String program,
      String from, String to) {
    this.migrations = migrations;
    this.record = new MigrationRecord(id, pid, program, from, to, "in-progress",
        System.currentTimeMillis(), 0, List.of());
  }

  /** The source's core hand-off: its pause, and when the source paused. Listed first. */
  public void core(double pauseMs, long startedAtMillis) {
    event("core", pauseMs, "in-progress");
    List<MigrationRecord.Piece> pieces = new ArrayList<>();
    pieces.add(new MigrationRecord.Piece("core", pauseMs, System.currentTimeMillis()));
    pieces.addAll(record.pieces());
    MigrationRecord r = record;
    record = new MigrationRecord(r.id(), r.pid(), r.program(), r.from(), r.to(), r.state(),
        Math.min(r.startedAtMillis(), startedAtMillis), r.totalMs(), pieces);
  }

  /** Another piece done (an fd driver moved, the write-back finished), with its pause. */
  public void piece(String piece, double pauseMs) {
    event(piece, pauseMs, "in-progress");
    List<MigrationRecord.Piece> pieces = new ArrayList<>(record.pieces());
    pieces.add(new MigrationRecord.Piece(piece, pauseMs, System.currentTimeMillis()));
    MigrationRecord r = record;
    record = new MigrationRecord(r.id(), r.pid(), r.program(), r.from(), r.to(), r.state(),
        r.startedAtMillis(), r.totalMs(), pieces);
  }

  /** Publishes an event without adding a piece (e.g. how the migration ended). */
  public void event(String piece, double pauseMs, String state) {
    migrations.publish(new MigrationEvent(record.id(), record.pid(), record.program(),
        record.from(), record.to(), piece, pauseMs, System.currentTimeMillis(), state));
  }

  /**
   * The migration ended with the process on its target but a piece that could not move
   * ({@code why}): publishes that and answers the final record, state {@code incomplete}.
   */
  public MigrationRecord incomplete(String why) {
    MigrationRecord r = record;
    long now = System.currentTimeMillis();
    record = new MigrationRecord(r.id(), r.pid(), r.program(), r.from(), r.to(), "incomplete",
        r.startedAtMillis(), now - r.startedAtMillis(), r.pieces());
    event(why, 0, "incomplete");
    return record;
  }

  /** The migration is complete: publishes that and answers the final record. */
  public MigrationRecord complete() {
    MigrationRecord r = record;
    long now = System.currentTimeMillis();
    record = new MigrationRecord(r.id(), r.pid(), r.program(), r.from(), r.to(), "complete",
        r.startedAtMillis(), now - r.startedAtMillis(), r.pieces());
    event(null, 0, "complete");
    return record;
  }
}

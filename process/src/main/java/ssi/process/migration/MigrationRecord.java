package ssi.process.migration;

import java.util.ArrayList;
import java.util.List;
import ssi.actors.SsiMessage;

/** A migration with its pieces so far, as {@code GET /ssi/migrations} shows it. */
public record MigrationRecord(String id, long pid, String program, String from, String to,
    String state, long startedAtMillis, double totalMs, List<Piece> pieces) implements SsiMessage {

  /** One piece and the pause it cost the process (or the fd). */
  public record Piece(String piece, double pauseMs, long atMillis) implements SsiMessage {
  }

  /** Copies the list. */
  public MigrationRecord {
    pieces = List.copyOf(pieces);
  }

  /** A record that has seen only {@code e}. */
  public static MigrationRecord of(MigrationEvent e) {
    return new MigrationRecord(e.migration(), e.pid(), e.program(), e.from(), e.to(), e.state(),
        e.atMillis(), 0, List.of()).with(e);
  }

  /** This record with {@code e} added (pieces in arrival order; the latest state wins). */
  public MigrationRecord with(MigrationEvent e) {
    List<Piece> p = new ArrayList<>(pieces);
    if (e.piece() != null) {
      p.add(new Piece(e.piece(), e.pauseMs(), e.atMillis()));
    }
    long start = Math.min(startedAtMillis, e.atMillis());
    boolean ended = !"in-progress".equals(e.state());
    String s = ended || "in-progress".equals(state) ? e.state() : state;
    return new MigrationRecord(id, pid, program, from, to, s, start,
        Math.max(totalMs, e.atMillis() - start), p);
  }
}

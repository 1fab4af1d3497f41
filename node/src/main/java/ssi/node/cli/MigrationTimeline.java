package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the {@code ssi} command prints migrations: the timeline of a finished one (the
 * {@code MIGRATION} object {@code POST .../migrate} and {@code GET /ssi/migrations} answer: each
 * piece with its pause, then the total), and one live piece from the migration stream, e.g.
 * {@code 04:01:02.123  m-7 pid 123 counter  node-1 -> node-2  core  3.1 ms}.
 */
final class MigrationTimeline {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private MigrationTimeline() {
  }

  /** The timeline of one migration: a heading line, one line per piece, a total line. */
  static List<String> summary(JsonNode m) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s  pid %s %s  %s -> %s  %s", m.path("id").asText("?"),
        m.path("pid").asText("?"), m.path("program").asText("?"), m.path("from").asText("?"),
        m.path("to").asText("?"), m.path("state").asText("?")));
    int width = "total".length();
    for (JsonNode p : m.path("pieces")) {
      width = Math.max(width, p.path("piece").asText().length());
    }
    double paused = 0;
    for (JsonNode p : m.path("pieces")) {
      double pause = p.path("pauseMs").asDouble();
      paused += pause;
      lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %8.1f ms pause",
          p.path("piece").asText("?"), pause));
    }
    lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %8.1f ms (%.1f ms paused in all)",
        "total", m.path("totalMs").asDouble(), paused));
    return lines;
  }

  /**
   * One piece event of {@code /ssi/migrations/stream} at the wall-clock time of its {@code at}
   * (in {@code zone}); {@code program} comes from the event when it has one, else the caller's
   * lookup. A piece whose migration is no longer in progress shows that state at the end; the
   * event that ends a migration (its piece is its state, e.g. {@code complete}) shows no pause.
   */
  static String piece(JsonNode e, String program, ZoneId zone) {
    String state = e.path("state").asText("");
    String piece = e.path("piece").asText("?");
    String head = String.format(Locale.ROOT, "%s  %s pid %s %s  %s -> %s  %s",
        clock(e.path("at").asText(""), zone), e.path("migration").asText("?"),
        e.path("pid").asText("?"), program, e.path("from").asText("?"), e.path("to").asText("?"),
        piece);
    if (piece.equals(state)) {
      return head; // the event that ends a migration: its outcome, no pause of its own
    }
    return head + String.format(Locale.ROOT, "  %.1f ms%s", e.path("pauseMs").asDouble(),
        state.isEmpty() || state.equals("in-progress") ? "" : "  (" + state + ")");
  }

  /** {@code HH:mm:ss.SSS} of an ISO instant; the current time when it does not parse. */
  static String clock(String at, ZoneId zone) {
    Instant instant;
    try {
      instant = Instant.parse(at);
    } catch (DateTimeParseException e) {
      instant = Instant.now();
    }
    return CLOCK.format(instant.atZone(zone));
  }
}

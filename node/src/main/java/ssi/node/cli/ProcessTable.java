package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The {@code ssi ps} table from the {@code PROCESS} objects of {@code GET /ssi/processes}: one row
 * per process, by pid, columns as wide as their widest cell. {@code FDS} lists each descriptor as
 * {@code fd:kind@driverNode}, with {@code *} when the driver is not on the process's node (reached
 * through a proxy); {@code EXIT} is the exit status of an exited process, with its reason when that
 * is not a plain exit ({@code 143 (killed by TERM)}, {@code - (memory lost)}).
 */
final class ProcessTable {

  static final List<String> HEADER =
      List.of("PID", "PROGRAM", "NODE", "STATE", "STEPS", "MIGRATIONS", "EXIT", "FDS");

  private ProcessTable() {
  }

  /** The table's lines, header first. */
  static List<String> format(JsonNode processes) {
    List<JsonNode> sorted = StreamSupport.stream(processes.spliterator(), false)
        .sorted(Comparator.comparingLong(p -> p.path("pid").asLong())).toList();
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode p : sorted) {
      rows.add(List.of(p.path("pid").asText(), p.path("program").asText("?"),
          p.path("node").asText("?"), p.path("state").asText("?"), p.path("steps").asText("0"),
          p.path("migrations").asText("0"), exit(p), fds(p)));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i)
            : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** {@code 0:pipe-read@node-2 1:file@node-1*}; {@code -} without descriptors. */
  static String fds(JsonNode process) {
    String fds = StreamSupport.stream(process.path("fds").spliterator(), false)
        .map(fd -> fd.path("fd").asText() + ":" + fd.path("kind").asText("?") + "@"
            + fd.path("driverNode").asText("?") + (fd.path("local").asBoolean(true) ? "" : "*"))
        .collect(Collectors.joining(" "));
    return fds.isEmpty() ? "-" : fds;
  }

  /** The exit column: {@code -} while the process has not exited. */
  static String exit(JsonNode process) {
    if (!process.path("state").asText().equals("exited")) {
      return "-";
    }
    JsonNode status = process.path("exitStatus");
    String reason = process.path("exitReason").isTextual() ? process.get("exitReason").asText()
        : "";
    String code = status.isNumber() ? status.asText() : "-";
    return reason.isEmpty() || reason.equals("exited") ? code : code + " (" + reason + ")";
  }
}

package ssi.node.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's checks, pure: a log written by {@code counter} or by the {@code yes | cat} pipeline
 * must be exactly {@code 1\n2\n...N\n} — every number once, in order, nothing after, the last
 * line complete. A failure names the first thing wrong, in file order.
 */
final class DemoChecks {

  /** The outcome of one check: what was checked, and why it passed or failed. */
  record Check(String name, boolean passed, String reason) {

    /** {@code PASS  name: reason} or {@code FAIL  name: reason}. */
    String line() {
      return (passed ? "PASS  " : "FAIL  ") + name + ": " + reason;
    }
  }

  private DemoChecks() {
  }

  /** Checks that {@code content} is exactly the numbered lines 1..{@code expected}. */
  static Check numberedLines(String name, String content, int expected) {
    if (content.isEmpty()) {
      return fail(name, "the file is empty (expected 1.." + expected + ")");
    }
    boolean terminated = content.endsWith("\n");
    List<String> lines = List.of(content.split("\n", -1));
    List<String> complete = lines.subList(0, lines.size() - 1); // the last piece follows the \n
    Map<Long, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < complete.size(); i++) {
      Long n = parse(complete.get(i));
      if (n != null) {
        firstLine.putIfAbsent(n, i + 1);
      }
    }
    long next = 1;
    for (int i = 0; i < complete.size(); i++) {
      int lineNo = i + 1;
      String text = complete.get(i);
      Long n = parse(text);
      if (n == null) {
        return fail(name, "line " + lineNo + " is not a number: \"" + text + "\"");
      }
      if (next > expected && n > expected) {
        return fail(name, "extra line " + lineNo + ": " + text + " after " + expected);
      }
      if (n == next) {
        next++;
        continue;
      }
      if (n < next && n >= 1) {
        return fail(name, "duplicate " + n + " at line " + lineNo + " (first at line "
            + firstLine.get(n) + ")");
      }
      Integer later = firstLine.get(next);
      if (later != null && later > lineNo) {
        return fail(name, "out of order: line " + lineNo + " has " + n + " where " + next
            + " belongs (" + next + " comes at line " + later + ")");
      }
      return fail(name, "missing " + next + " (line " + lineNo + " has " + n + ")");
    }
    if (!terminated) {
      String tail = lines.get(lines.size() - 1);
      return fail(name, "the last line \"" + tail + "\" has no newline (a truncated write)");
    }
    if (next <= expected) {
      return fail(name, "missing " + next + ".." + expected + " (the file ends after "
          + complete.size() + " lines)");
    }
    return new Check(name, true, "1.." + expected + ", every number exactly once, in order");
  }

  private static Check fail(String name, String reason) {
    return new Check(name, false, reason);
  }

  private static Long parse(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

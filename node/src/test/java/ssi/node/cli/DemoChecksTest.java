package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The demo's log check: exactly {@code 1\n..N\n} passes; a missing, duplicate, reordered or extra
 * number, a truncated last line, a short or empty file fail with the first problem named.
 */
class DemoChecksTest {

  private static DemoChecks.Check check(String content, int expected) {
    return DemoChecks.numberedLines("/demo/counter.log", content, expected);
  }

  private static void assertFails(String content, int expected, String reason) {
    DemoChecks.Check c = check(content, expected);
    assertFalse(c.passed(), c.line());
    assertEquals(reason, c.reason());
    assertEquals("FAIL  /demo/counter.log: " + reason, c.line());
  }

  @Test
  void exactSequencePasses() {
    DemoChecks.Check c = check("1\n2\n3\n4\n5\n", 5);
    assertTrue(c.passed(), c.line());
    assertEquals("PASS  /demo/counter.log: 1..5, every number exactly once, in order", c.line());
  }

  @Test
  void missingNumberIsNamed() {
    assertFails("1\n2\n4\n5\n", 5, "missing 3 (line 3 has 4)");
  }

  @Test
  void duplicateIsNamedWithBothLines() {
    assertFails("1\n2\n3\n3\n4\n5\n", 5, "duplicate 3 at line 4 (first at line 3)");
  }

  @Test
  void reorderedNumbersAreOutOfOrder() {
    assertFails("1\n3\n2\n4\n", 4, "out of order: line 2 has 3 where 2 belongs (2 comes at line 3)");
  }

  @Test
  void extraLineAfterTheLastNumberFails() {
    assertFails("1\n2\n3\n4\n", 3, "extra line 4: 4 after 3");
  }

  @Test
  void truncatedLastLineFails() {
    assertFails("1\n2\n3", 3, "the last line \"3\" has no newline (a truncated write)");
  }

  @Test
  void shortFileNamesTheMissingTail() {
    assertFails("1\n2\n", 5, "missing 3..5 (the file ends after 2 lines)");
  }

  @Test
  void emptyFileFails() {
    assertFails("", 5, "the file is empty (expected 1..5)");
  }

  @Test
  void garbageLineFails() {
    assertFails("1\nx2\n", 2, "line 2 is not a number: \"x2\"");
  }

  @Test
  void longExactSequencePasses() {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      b.append(i).append('\n');
    }
    assertTrue(check(b.toString(), 5000).passed());
    assertFalse(check(b.toString(), 5001).passed());
  }
}

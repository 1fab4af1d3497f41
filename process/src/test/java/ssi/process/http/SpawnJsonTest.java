package ssi.process.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ssi.process.core.FdSpec;
import ssi.process.core.SpawnSpec;

/** The spawn body: what is accepted, and a clear message for what is not. */
class SpawnJsonTest {

  @Test
  void aSingleProcessWithItsDescriptors() {
    List<SpawnSpec> s = SpawnJson.parse("{\"program\":\"counter\",\"args\":[\"/a\",5],"
        + "\"env\":{\"K\":\"V\"},\"node\":\"node-2\",\"stdout\":{\"file\":\"/out\","
        + "\"append\":true},\"stdin\":{\"tty\":true}}");
    assertEquals(1, s.size());
    SpawnSpec p = s.get(0);
    assertEquals("counter", p.program());
    assertEquals(List.of("/a", "5"), p.args());
    assertEquals(Map.of("K", "V"), p.env());
    assertEquals("node-2", p.node());
    assertEquals(FdSpec.file("/out", true), p.fds().get(1));
    assertEquals(FdSpec.tty(), p.fds().get(0));
  }

  @Test
  void aPipelineLeavesTheInnerDescriptorsToThePipes() {
    List<SpawnSpec> s = SpawnJson.parse("{\"pipeline\":[{\"program\":\"yes\",\"args\":[\"3\"]},"
        + "{\"program\":\"cat\",\"stdout\":{\"file\":\"/o\"}}]}");
    assertEquals(List.of("yes", "cat"), s.stream().map(SpawnSpec::program).toList());
    assertTrue(s.get(0).fds().isEmpty());
    assertEquals(FdSpec.file("/o", false), s.get(1).fds().get(1));
  }

  @Test
  void badBodiesAreRefusedWithAReason() {
    assertRefused("{nope", "not JSON");
    assertRefused("[1]", "JSON object");
    assertRefused("{}", "\"program\"");
    assertRefused("{\"program\":\"\"}", "\"program\"");
    assertRefused("{\"program\":\"cat\",\"args\":\"x\"}", "args");
    assertRefused("{\"program\":\"cat\",\"env\":[1]}", "env");
    assertRefused("{\"program\":\"cat\",\"stdin\":{\"file\":\"rel\"}}", "absolute");
    assertRefused("{\"program\":\"cat\",\"stdin\":{\"socket\":1}}", "must be");
    assertRefused("{\"program\":\"cat\",\"node\":2}", "\"node\"");
    assertRefused("{\"pipeline\":[]}", "non-empty");
    assertRefused("{\"pipeline\":[{\"program\":\"yes\",\"stdout\":{\"tty\":true}},"
        + "{\"program\":\"cat\"}]}", "pipe to the next");
    assertRefused("{\"pipeline\":[{\"program\":\"yes\"},"
        + "{\"program\":\"cat\",\"stdin\":{\"tty\":true}}]}", "pipe from the previous");
  }

  private static void assertRefused(String body, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpawnJson.parse(body), body);
    assertTrue(e.getMessage().contains(reason), body + " -> " + e.getMessage());
  }
}

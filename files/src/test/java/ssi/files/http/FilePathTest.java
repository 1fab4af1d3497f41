package ssi.files.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Request paths: decoded components, and every traversal or smuggling attempt refused. */
class FilePathTest {

  @Test
  void goodPathsDecode() {
    assertEquals(new FilePath(List.of(), true), FilePath.parse("").path());
    assertEquals(new FilePath(List.of(), true), FilePath.parse("/").path());
    assertEquals(new FilePath(List.of("a", "b c", "x+y"), false),
        FilePath.parse("/a/b%20c/x+y").path());
    assertEquals(new FilePath(List.of("d"), true), FilePath.parse("/d/").path());
    assertEquals("/a/b", FilePath.parse("/a/b").path().text());
    assertEquals(List.of("é"), FilePath.parse("/%C3%A9").path().parts());
  }

  @Test
  void dotSegmentsInTheRawTargetAreFound() {
    for (String raw : List.of("/ssi/files/a/../b", "/ssi/files/./b", "/ssi/files/%2E%2e/x",
        "/ssi/x/../files/a?offset=1", "/ssi/files/a/..")) {
      assertEquals(true, FilePath.hasDotSegment(raw), raw);
    }
    for (String raw : List.of("/ssi/files/a/b", "/ssi/files/a..b/c?x=..", "/ssi/files/...")) {
      assertEquals(false, FilePath.hasDotSegment(raw), raw);
    }
  }

  @Test
  void traversalAndSmugglingAreRefused() {
    for (String bad : List.of("/..", "/a/..", "/a/../b", "/.", "/a/./b", "//a", "/a//b",
        "/a%2Fb", "/a%2fb", "/%2e%2e", "/%2E%2E/x", "/a%00b", "/a%5Cb", "/a%", "/a%4", "/a%zz",
        "/%C3", "/%FF", "/" + "n".repeat(256), "x")) {
      FilePath.Parsed p = FilePath.parse(bad);
      assertNull(p.path(), bad);
      assertNotNull(p.error(), bad);
    }
  }
}

package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ssi.cluster.http.SsiJson;

/**
 * {@code ssi watch}: the server-sent-events line parser, the one-line format of a piece, and the
 * command against a canned stream — it prints each piece, stops after {@code --count}, and
 * reconnects (saying so) when the stream ends.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken stop hangs
class WatchCommandTest {

  private static final String CORE = "{\"migration\":\"m-7\",\"pid\":123,\"from\":\"node-1\","
      + "\"to\":\"node-2\",\"piece\":\"core\",\"pauseMs\":3.1,"
      + "\"at\":\"2026-11-30T04:01:02.123Z\",\"state\":\"in-progress\"}";
  private static final String FD = "{\"migration\":\"m-7\",\"pid\":123,\"from\":\"node-1\","
      + "\"to\":\"node-2\",\"piece\":\"fd 1 (file)\",\"pauseMs\":1.2,"
      + "\"at\":\"2026-11-30T04:01:02.200Z\",\"state\":\"complete\"}";

  @Test
  void parserDispatchesOnBlankLinesAndSkipsComments() {
    ServerSentEvents sse = new ServerSentEvents();
    assertEquals(Optional.empty(), sse.line(": keep-alive"));
    assertEquals(Optional.empty(), sse.line(""), "a blank line without data is no event");
    assertEquals(Optional.empty(), sse.line("event: piece"));
    assertEquals(Optional.empty(), sse.line("data: {\"a\":1}"));
    assertEquals(Optional.of(new ServerSentEvents.Event("piece", "{\"a\":1}", "")),
        sse.line(""));
    assertEquals(Optional.empty(), sse.line("data:one"));
    assertEquals(Optional.empty(), sse.line("id: 9"));
    assertEquals(Optional.empty(), sse.line("retry: 100"));
    assertEquals(Optional.empty(), sse.line("data:  two"));
    assertEquals(Optional.of(new ServerSentEvents.Event("message", "one\n two", "9")),
        sse.line(""), "no event: field is a message; data lines join; one space is dropped");
  }

  @Test
  void pieceLineShowsTimeMigrationProcessNodesPieceAndPause() throws IOException {
    JsonNode core = SsiJson.MAPPER.readTree(CORE);
    assertEquals("04:01:02.123  m-7 pid 123 counter  node-1 -> node-2  core  3.1 ms",
        MigrationTimeline.piece(core, "counter", ZoneOffset.UTC));
    assertEquals("04:01:02.200  m-7 pid 123 counter  node-1 -> node-2  fd 1 (file)  1.2 ms"
        + "  (complete)", MigrationTimeline.piece(SsiJson.MAPPER.readTree(FD), "counter",
        ZoneOffset.UTC));
    JsonNode end = SsiJson.MAPPER.readTree(CORE.replace("\"core\"", "\"complete\"")
        .replace("\"in-progress\"", "\"complete\""));
    assertEquals("04:01:02.123  m-7 pid 123 counter  node-1 -> node-2  complete",
        MigrationTimeline.piece(end, "counter", ZoneOffset.UTC), "the end has no pause");
  }

  @Test
  void watchPrintsEachPieceAndStopsAfterCount() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("GET", "/ssi/processes/123", 200, "{\"pid\":123,\"program\":\"counter\"}");
      node.piece(CORE);
      node.stream.add(": keep-alive\n");
      node.piece(FD);
      node.piece(CORE.replace("m-7", "m-8")); // not read: --count 2
      WatchCommand watch = new WatchCommand();
      watch.zone = ZoneOffset.UTC;
      CannedNode.Run run = CannedNode.run(watch, "--node", node.url(), "--count", "2");
      assertEquals(0, run.exit(), run.err());
      assertEquals("""
          04:01:02.123  m-7 pid 123 counter  node-1 -> node-2  core  3.1 ms
          04:01:02.200  m-7 pid 123 counter  node-1 -> node-2  fd 1 (file)  1.2 ms  (complete)
          """, run.out());
      assertEquals(1, node.requests("GET", "/ssi/processes/123").size(),
          "the program is looked up once per pid");
    }
  }

  @Test
  void watchReconnectsWhenTheStreamEnds() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("GET", "/ssi/processes/123", 200, "{\"pid\":123,\"program\":\"counter\"}");
      node.piece(CORE);
      node.stream.add(CannedNode.END);
      node.piece(FD);
      WatchCommand watch = new WatchCommand();
      watch.zone = ZoneOffset.UTC;
      watch.retry = Duration.ofMillis(20);
      CannedNode.Run run = CannedNode.run(watch, "--node", node.url(), "--count", "2");
      assertEquals(0, run.exit(), run.err());
      assertEquals(2, run.out().lines().count(), run.out());
      assertEquals("ssi watch: the stream from " + node.url() + " ended; reconnecting every 20 ms"
          + " ...\nssi watch: reconnected to " + node.url() + "\n", run.err());
      assertEquals(2, node.requests("GET", "/ssi/migrations/stream").size());
    }
  }

  @Test
  void streamRefusedExitsOne() throws IOException {
    try (CannedNode other = new CannedNode()) {
      WatchCommand watch = new WatchCommand();
      CannedNode.Run run = CannedNode.run(watch, "--node", other.url() + "/nothing-here",
          "--count", "1");
      assertEquals(1, run.exit());
      assertTrue(run.err().startsWith("ssi watch: no such route: /nothing-here/ssi/migrations/"
          + "stream (HTTP 404)"), run.err());
    }
  }
}

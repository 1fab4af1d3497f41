package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ssi.cluster.http.SsiJson;

/**
 * The demo's flow against a canned cluster ({@code --node}): it clears the logs, spawns the
 * counter and the pipeline with the contract's bodies, migrates the counter to node-2 then
 * node-3, prints the live pieces from the stream and each migration's timeline, and exits 0 only
 * when the migrations completed and both logs are exact.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken stop hangs
class DemoCommandTest {

  private static final String COUNTER_LOG = "1\n2\n3\n4\n5\n";
  private static final String PIPE_LOG = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

  /** A fake cluster that runs the demo's processes to completion at once. */
  private static CannedNode cluster(String counterLog, String pipeLog, int migrateStatus)
      throws IOException {
    CannedNode node = new CannedNode();
    node.on("DELETE", "/ssi/files/demo/counter.log", 404,
        "{\"error\":\"no such file\",\"status\":404}");
    node.on("DELETE", "/ssi/files/demo/pipe.log", 200, "");
    node.on("POST", "/ssi/processes", r -> new CannedNode.Answer(201,
        r.body().contains("pipeline")
            ? "{\"pids\":[11,12],\"processes\":[{\"pid\":11,\"program\":\"yes\"},"
                + "{\"pid\":12,\"program\":\"cat\"}]}"
            : "{\"pids\":[10],\"processes\":[{\"pid\":10,\"program\":\"counter\"}]}"));
    AtomicInteger ids = new AtomicInteger();
    node.on("POST", "/ssi/processes/10/migrate", r -> {
      if (migrateStatus != 200) {
        return new CannedNode.Answer(migrateStatus,
            "{\"error\":\"pid 10 is already migrating\",\"status\":409}");
      }
      String to = json(r.body()).path("to").asText();
      String from = to.equals("node-2") ? "node-1" : "node-2";
      String id = "m-" + ids.incrementAndGet();
      String piece = "{\"migration\":\"%s\",\"pid\":10,\"from\":\"%s\",\"to\":\"%s\","
          + "\"piece\":\"%s\",\"pauseMs\":2.5,\"at\":\"2026-11-30T04:01:02.123Z\","
          + "\"state\":\"in-progress\"}";
      node.piece(String.format(piece, id, from, to, "core"));
      node.piece(String.format(piece, id, from, to, "fd 1 (file)"));
      return new CannedNode.Answer(200, String.format("{\"id\":\"%s\",\"pid\":10,"
          + "\"program\":\"counter\",\"from\":\"%s\",\"to\":\"%s\",\"state\":\"complete\","
          + "\"totalMs\":40.0,\"pieces\":[{\"piece\":\"core\",\"pauseMs\":2.5},"
          + "{\"piece\":\"fd 1 (file)\",\"pauseMs\":2.5}]}", id, from, to));
    });
    for (String[] p : List.of(new String[] {"10", "counter", "node-3", "2"},
        new String[] {"11", "yes", "node-2", "0"}, new String[] {"12", "cat", "node-3", "0"})) {
      node.on("GET", "/ssi/processes/" + p[0], 200, String.format("{\"pid\":%s,\"program\":"
          + "\"%s\",\"node\":\"%s\",\"state\":\"exited\",\"exitStatus\":0,\"exitReason\":"
          + "\"exited\",\"steps\":5,\"migrations\":%s,\"fds\":[]}", (Object[]) p));
    }
    node.on("GET", "/ssi/files/demo/counter.log", 200, counterLog);
    node.on("GET", "/ssi/files/demo/pipe.log", 200, pipeLog);
    return node;
  }

  private static JsonNode json(String text) {
    try {
      return SsiJson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CannedNode.Run demo(CannedNode node) {
    return CannedNode.run(new DemoCommand(), "--node", node.url(), "--count", "5", "--lines",
        "10", "--gap", "0", "--wait", "20");
  }

  @Test
  void demoPassesWhenMigrationsCompleteAndLogsAreExact() throws IOException {
    try (CannedNode node = cluster(COUNTER_LOG, PIPE_LOG, 200)) {
      CannedNode.Run run = demo(node);
      assertEquals(0, run.exit(), run.out() + run.err());
      String out = run.out();
      assertTrue(out.contains("  PASS  counter migrated node-1 -> node-2 -> node-3 while "
          + "running: both complete (m-1 40.0 ms, m-2 40.0 ms)"), out);
      assertTrue(out.contains("  PASS  /demo/counter.log: 1..5, every number exactly once, in "
          + "order"), out);
      assertTrue(out.contains("  PASS  /demo/pipe.log: 1..10, every number exactly once"), out);
      assertTrue(out.contains("m-1 pid 10 counter  node-1 -> node-2  core  2.5 ms"), out);
      assertTrue(out.contains("m-2 pid 10 counter  node-2 -> node-3  fd 1 (file)  2.5 ms"), out);
      assertTrue(out.contains("    m-2  pid 10 counter  node-2 -> node-3  complete"), out);
      assertTrue(out.contains("counter pid 10 exited 0 on node-3 after 5 steps and 2 "
          + "migration(s)"), out);
      assertTrue(out.contains("curl -N " + node.url() + "/ssi/migrations/stream"), out);
      assertTrue(out.strip().endsWith("Stop:   bin/ssi down"), out);

      assertEquals(List.of("{\"to\":\"node-2\"}", "{\"to\":\"node-3\"}"),
          node.requests("POST", "/ssi/processes/10/migrate").stream()
              .map(r -> json(r.body()).toString()).toList());
      List<CannedNode.Request> spawns = node.requests("POST", "/ssi/processes");
      assertEquals(json("""
          {"program":"counter","args":["/demo/counter.log","5","100"],"node":"node-1",
           "stdout":{"file":"/demo/counter.log","append":true}}"""), json(spawns.get(0).body()));
      assertEquals(json("""
          {"pipeline":[{"program":"yes","args":["10"],"node":"node-2"},
                       {"program":"cat","args":[],"node":"node-3",
                        "stdout":{"file":"/demo/pipe.log","append":false}}]}"""),
          json(spawns.get(1).body()));
      assertEquals(1, node.requests("DELETE", "/ssi/files/demo/counter.log").size(),
          "the old counter log is removed first");
    }
  }

  @Test
  void duplicateLineInThePipeLogFailsTheDemo() throws IOException {
    try (CannedNode node = cluster(COUNTER_LOG, "1\n2\n3\n4\n4\n5\n6\n7\n8\n9\n10\n", 200)) {
      CannedNode.Run run = demo(node);
      assertEquals(1, run.exit(), run.out());
      assertTrue(run.out().contains("  FAIL  /demo/pipe.log: duplicate 4 at line 5 (first at "
          + "line 4)"), run.out());
      assertTrue(run.out().contains("  PASS  /demo/counter.log"), run.out());
      assertTrue(run.out().contains("ssi demo: FAILED"), run.out());
    }
  }

  @Test
  void refusedMigrationFailsTheDemoButTheLogsAreStillChecked() throws IOException {
    try (CannedNode node = cluster(COUNTER_LOG, PIPE_LOG, 409)) {
      CannedNode.Run run = demo(node);
      assertEquals(1, run.exit(), run.out());
      assertTrue(run.out().contains("  FAIL  counter migrated node-1 -> node-2 -> node-3 while "
          + "running: migrating to node-2 was refused: pid 10 is already migrating (HTTP 409)"),
          run.out());
      assertTrue(run.out().contains("  PASS  /demo/counter.log"), run.out());
    }
  }

  @Test
  void missingLogFailsItsCheckWithTheNodesMessage() throws IOException {
    try (CannedNode node = cluster(COUNTER_LOG, PIPE_LOG, 200)) {
      node.on("GET", "/ssi/files/demo/pipe.log", 404,
          "{\"error\":\"no such file: /demo/pipe.log\",\"status\":404}");
      CannedNode.Run run = demo(node);
      assertEquals(1, run.exit(), run.out());
      assertTrue(run.out().contains("  FAIL  /demo/pipe.log: cannot read it: no such file: "
          + "/demo/pipe.log (HTTP 404)"), run.out());
    }
  }

  @Test
  void unreachableClusterExitsTwo() throws IOException {
    String url;
    try (CannedNode gone = new CannedNode()) {
      url = gone.url();
    }
    CannedNode.Run run = CannedNode.run(new DemoCommand(), "--node", url, "--gap", "0");
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("cannot reach the cluster at " + url), run.err());
  }
}

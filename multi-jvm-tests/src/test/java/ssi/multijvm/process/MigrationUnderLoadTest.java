package ssi.multijvm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Live migration under load across three real node JVMs (DESIGN §10, §12 invariant 6): a
 * pipeline {@code yes | cat | cat > file} spread over the three nodes has every stage migrated
 * several times while data flows, and a {@code memtest} is migrated twice while it fills its
 * memory. The consumer's file must hold exactly the lines 1..N (no loss, no duplicate, no
 * reordering of any fd message) and memtest must verify every byte of its memory on the node it
 * ends on. Two processes on different nodes share a mapped file (the reader migrating meanwhile).
 * Then bad requests to the process routes get JSON 4xx and change nothing.
 */
@ExtendWith(MultiJvm.class)
class MigrationUnderLoadTest {

  private static final Duration EXIT = Duration.ofSeconds(120);
  private static final int LINES = 3000;
  private static final String[] NODES = {"node-1", "node-2", "node-3"};

  private final ProcessHttp http = new ProcessHttp();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void pipelineAndMemoryLoseNothingWhileEveryStageMigrates(TestCluster cluster) throws Exception {
    cluster.start(3);
    NodeProcess n1 = cluster.node(1);

    // yes writes 20 lines every 40 ms (about 6 s of data); the two cats pass them on.
    List<Long> pipe = http.spawn(n1, "{\"pipeline\":["
        + "{\"program\":\"yes\",\"args\":[\"" + LINES + "\",\"40\",\"20\"],\"node\":\"node-1\"},"
        + "{\"program\":\"cat\",\"node\":\"node-2\"},"
        + "{\"program\":\"cat\",\"node\":\"node-3\","
        + "\"stdout\":{\"file\":\"/load/pipe.log\",\"append\":false}}]}");
    long memtest = http.spawn(cluster.node(2), "{\"program\":\"memtest\",\"args\":[\"48\",\"80\","
        + "\"7\"],\"node\":\"node-1\",\"stdout\":{\"file\":\"/load/memtest.log\"}}").get(0);
    assertEquals(3, pipe.size());

    // Every stage moves to the next node, three rounds; the memtest moves twice meanwhile.
    List<JsonNode> records = new ArrayList<>();
    int moved = 0;
    for (int round = 0; round < 3; round++) {
      for (int stage = 0; stage < 3; stage++) {
        String to = NODES[(stage + round + 1) % 3];
        ProcessHttp.Answer a = http.migrate(cluster.node(1 + (round + stage) % 3), pipe.get(stage),
            to);
        if (a.status() == 409 && a.text().contains("exited")) {
          continue; // the producer finished early: nothing left to move for this stage
        }
        assertEquals(200, a.status(), "migrating stage " + stage + " to " + to + ": " + a.text());
        records.add(a.json());
        moved++;
      }
      if (round < 2) {
        records.add(http.migrated(n1, memtest, NODES[(round + 1) % 3]));
      }
    }
    assertTrue(moved >= 6, "at least two rounds moved while data flowed, got " + moved);

    // Each migration moved the core first and then every fd driver, one piece at a time.
    for (JsonNode r : records) {
      assertEquals("core", r.path("pieces").path(0).path("piece").asText(), r.toString());
      for (JsonNode p : r.path("pieces")) {
        assertTrue(p.path("pauseMs").asDouble() >= 0, r.toString());
        assertTrue(!p.path("piece").asText().contains("failed"), r.toString());
      }
    }
    JsonNode lastCat = http.info(cluster.node(2), pipe.get(1));
    if (!"exited".equals(lastCat.path("state").asText())) {
      for (JsonNode fd : lastCat.path("fds")) {
        assertTrue(fd.path("local").asBoolean(), "every driver follows the process: " + lastCat);
      }
    }

    JsonNode consumer = null;
    for (long pid : pipe) {
      JsonNode done = http.awaitExit(cluster.node(3), pid, EXIT);
      assertEquals(0, done.path("exitStatus").asInt(), "stage " + pid + ": " + done);
      consumer = done;
    }
    String out = text(http.read(cluster.node(1), ProcessHttp.fileObject(consumer, 1),
        ProcessHttp.numbered(LINES).length()));
    ProcessHttp.assertNumbered(out, LINES, "the pipeline's output after " + moved
        + " migrations");

    JsonNode mem = http.awaitExit(cluster.node(1), memtest, EXIT);
    assertEquals(0, mem.path("exitStatus").asInt(), "memtest verified every byte: " + mem);
    assertEquals(2, mem.path("migrations").asInt(), mem.toString());
    String verdict = text(http.read(cluster.node(3), ProcessHttp.fileObject(mem, 1),
        "memtest ok 48 pages\n".length()));
    assertEquals("memtest ok 48 pages\n", verdict);

    // The history on any node lists them all, each complete.
    JsonNode history = http.send("GET", cluster.node(3).baseUrl() + "/ssi/migrations", null,
        Duration.ofSeconds(10)).json();
    long complete = 0;
    for (JsonNode m : history.path("migrations")) {
      complete += "complete".equals(m.path("state").asText()) ? 1 : 0;
    }
    assertEquals(records.size(), complete, history.toString());

    sharedMappingAcrossNodes(cluster);
    badInputChangesNothing(cluster, pipe.get(0));
  }

  /** Two processes on different nodes share a mapped file; the reader migrates meanwhile. */
  private void sharedMappingAcrossNodes(TestCluster cluster) throws Exception {
    long waiter = http.spawn(cluster.node(1), "{\"program\":\"shm\",\"args\":[\"wait\","
        + "\"/load/shm\",\"hello-from-node-3\"],\"node\":\"node-1\","
        + "\"stdout\":{\"file\":\"/load/shm.out\"}}").get(0);
    http.migrated(cluster.node(1), waiter, "node-2");
    long writer = http.spawn(cluster.node(3), "{\"program\":\"shm\",\"args\":[\"write\","
        + "\"/load/shm\",\"hello-from-node-3\"],\"node\":\"node-3\"}").get(0);
    assertEquals(0, http.awaitExit(cluster.node(3), writer, EXIT).path("exitStatus").asInt());
    JsonNode w = http.awaitExit(cluster.node(1), waiter, EXIT);
    assertEquals(0, w.path("exitStatus").asInt(), "the reader saw the store: " + w);
    assertEquals("hello-from-node-3\n", text(http.read(cluster.node(1),
        ProcessHttp.fileObject(w, 1), "hello-from-node-3\n".length())));
  }

  private void badInputChangesNothing(TestCluster cluster, long exitedPid) throws Exception {
    NodeProcess n = cluster.node(2);
    String base = n.baseUrl() + "/ssi/processes";
    int before = http.send("GET", base, null, Duration.ofSeconds(20)).json()
        .path("processes").size();
    expect(400, "POST", base, "{not json");
    expect(400, "POST", base, "{\"program\":\"no-such-program\"}");
    expect(400, "POST", base, "{\"program\":\"counter\",\"args\":[\"/x\",\"ten\"]}");
    expect(404, "POST", base, "{\"program\":\"counter\",\"node\":\"node-9\"}");
    expect(400, "POST", base, "{\"pipeline\":[]}");
    expect(400, "POST", base, "{\"program\":\"cat\",\"stdin\":{\"file\":\"relative\"}}");
    expect(404, "GET", base + "/123456789", null);
    expect(400, "GET", base + "/abc", null);
    expect(404, "POST", base + "/123456789/migrate", "{\"to\":\"node-1\"}");
    expect(400, "POST", base + "/" + exitedPid + "/migrate", "{\"too\":1}");
    expect(404, "POST", base + "/" + exitedPid + "/migrate", "{\"to\":\"node-9\"}");
    expect(409, "POST", base + "/" + exitedPid + "/migrate", "{\"to\":\"node-1\"}");
    expect(409, "POST", base + "/" + exitedPid + "/kill", "{}");
    expect(400, "POST", base + "/" + exitedPid + "/kill", "{\"signal\":\"HUP\"}");
    expect(404, "POST", n.baseUrl() + "/ssi/nodes/node-9/drain", null);
    int after = http.send("GET", base, null, Duration.ofSeconds(20)).json()
        .path("processes").size();
    assertEquals(before, after, "refused requests spawned nothing");
    assertEquals(200, http.send("GET", n.baseUrl() + "/ssi/node", null, Duration.ofSeconds(5))
        .status(), "the node is still up");
  }

  private void expect(int status, String method, String url, String body) throws Exception {
    ProcessHttp.Answer a = http.send(method, url, body, Duration.ofSeconds(20));
    assertEquals(status, a.status(), method + " " + url + " " + body + ": " + a.text());
    assertTrue(a.json() != null && a.json().has("error"), "a JSON error body: " + a.text());
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}

package ssi.multijvm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * The failure cases of a migration (DESIGN §10) with real node JVMs: the target dies before the
 * core hand-off (paused with SIGSTOP so the request reaches it and is never answered, then
 * removed by the Split Brain Resolver and killed) — the process resumes on its source and runs
 * to the end with nothing lost; the source dies after the hand-off while the process still
 * uses a driver left there — the process is not hung: the operation fails with EIO and the
 * program ends with its error status, on the target only; the source dies before it could write
 * back the process's memory (the store is down meanwhile) — the process ends "memory lost"
 * rather than run on stale memory.
 */
@ExtendWith(MultiJvm.class)
class MigrationFailureTest {

  private static final Duration EXIT = Duration.ofSeconds(120);

  private final ProcessHttp http = new ProcessHttp();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void targetDyingBeforeTheHandOffLeavesTheProcessOnItsSource(TestCluster cluster)
      throws Exception {
    cluster.start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n3 = cluster.node(3);
    int count = 500;
    long pid = http.spawn(n1, "{\"program\":\"counter\",\"args\":[\"/fail/a.log\",\"" + count
        + "\",\"60\"],\"node\":\"node-1\"}").get(0);
    Await.until(Duration.ofSeconds(30), "the counter runs", () ->
        assertTrue(http.info(n1, pid).path("steps").asLong() > 20));

    n3.signal("STOP");
    try {
      ProcessHttp.Answer a = http.migrate(n1, pid, "node-3");
      assertEquals(503, a.status(), "a migration to a node that died: " + a.text());
      assertTrue(a.text().contains("resumed"), a.text());
    } finally {
      n3.kill9();
    }
    JsonNode now = http.info(n1, pid);
    assertEquals("node-1", now.path("node").asText(), "the process is still on its source: "
        + now);
    assertEquals(0, now.path("migrations").asInt(), now.toString());

    JsonNode done = http.awaitExit(n1, pid, EXIT);
    assertEquals(0, done.path("exitStatus").asInt(), done.toString());
    String out = new String(http.read(n1, ProcessHttp.fileObject(done, 0),
        ProcessHttp.numbered(count).length()), StandardCharsets.US_ASCII);
    ProcessHttp.assertNumbered(out, count, "the counter after a failed migration");
    JsonNode history = http.send("GET", n1.baseUrl() + "/ssi/migrations", null,
        Duration.ofSeconds(10)).json();
    assertEquals("resumed-on-source", history.path("migrations").path(0).path("state").asText(),
        history.toString());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sourceDyingAfterTheHandOffFailsItsLeftDriversWithoutHanging(TestCluster cluster)
      throws Exception {
    cluster.withProperty("ssi.process.file-driver-stays", "on").start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    long pid = http.spawn(n2, "{\"program\":\"counter\",\"args\":[\"/fail/b.log\",\"100000\","
        + "\"50\"],\"node\":\"node-1\"}").get(0);
    Await.until(Duration.ofSeconds(30), "the counter runs", () ->
        assertTrue(http.info(n2, pid).path("steps").asLong() > 20));

    JsonNode record = http.migrated(n2, pid, "node-2");
    for (JsonNode piece : record.path("pieces")) {
      assertTrue(!piece.path("piece").asText().startsWith("fd"), "the file driver stays: "
          + record);
    }
    JsonNode moved = http.info(n2, pid);
    assertEquals("node-2", moved.path("node").asText());
    JsonNode residual = moved.path("residual").path(0);
    assertEquals("fd", residual.path("kind").asText(), moved.toString());
    assertEquals("node-1", residual.path("node").asText(), moved.toString());

    n1.kill9();
    JsonNode done = http.awaitExit(n2, pid, EXIT);
    assertEquals(4, done.path("exitStatus").asInt(), "the counter's write failed (EIO) and it "
        + "exited with its write-error status: " + done);
    assertEquals("node-2", done.path("node").asText(), done.toString());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sourceDyingBeforeItsWriteBackEndsTheProcessAsMemoryLost(TestCluster cluster)
      throws Exception {
    // No periodic write-back: the counter's page stays modified on its node until the migration.
    cluster.withProperty("ssi.cache.write-back-interval", "10m").start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n3 = cluster.node(3);
    // A counter whose count lives in its memory, printing to a tty (no file: nothing of its own
    // needs the store), sleeping 3 s between lines.
    long pid = http.spawn(n3, "{\"program\":\"counter\",\"args\":[\"1000\",\"3000\"],"
        + "\"node\":\"node-1\",\"stdout\":{\"tty\":true}}").get(0);
    Await.until(Duration.ofSeconds(30), "the counter has counted in its memory", () ->
        assertTrue(http.info(n3, pid).path("steps").asLong() >= 4));

    cluster.store().kill9(); // node-1 can no longer write the process's pages back
    java.util.concurrent.CompletableFuture<ProcessHttp.Answer> migration =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return http.migrate(n3, pid, "node-2");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    Await.until(Duration.ofSeconds(30), "the core is on node-2, its pages still on node-1", () -> {
      JsonNode p = http.info(n3, pid);
      assertEquals("node-2", p.path("node").asText(), p.toString());
      assertEquals("pages", p.path("residual").path(0).path("kind").asText(), p.toString());
    });

    n1.kill9();
    JsonNode done = http.awaitExit(n3, pid, EXIT);
    assertEquals(137, done.path("exitStatus").asInt(), done.toString());
    assertTrue(done.path("exitReason").asText().contains("memory lost"), done.toString());
    ProcessHttp.Answer a = migration.get(90, TimeUnit.SECONDS);
    assertEquals(503, a.status(), a.text());
    assertTrue(a.text().contains("memory lost"), a.text());
    cluster.store().restart();
  }
}

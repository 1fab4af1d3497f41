package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ssi.cluster.http.SsiJson;

/**
 * {@code ssi migrate}, {@code ssi kill} and {@code ssi drain} against canned contract answers:
 * the timeline (each piece and its pause, the total), exit 0 only for a complete migration, the
 * 409 message, the kill signal in the body, and what a drain moved.
 */
class MigrateCommandTest {

  static final String MIGRATION = """
      {"id":"m-7","pid":123,"program":"counter","from":"node-1","to":"node-2",
       "state":"%s","startedAt":"2026-11-30T04:01:02Z","totalMs":85.2,
       "pieces":[{"piece":"core","pauseMs":3.1,"at":"2026-11-30T04:01:02.100Z"},
                 {"piece":"fd 1 (file)","pauseMs":1.25,"at":"2026-11-30T04:01:02.150Z"}]}
      """;

  @Test
  void completeMigrationPrintsTheTimelineAndExitsZero() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/123/migrate", 200, String.format(MIGRATION, "complete"));
      CannedNode.Run run = CannedNode.run(new Ssi(), "migrate", "--node", node.url(), "123",
          "node-2");
      assertEquals(0, run.exit(), run.err());
      assertEquals("""
          m-7  pid 123 counter  node-1 -> node-2  complete
            core              3.1 ms pause
            fd 1 (file)       1.3 ms pause
            total            85.2 ms (4.4 ms paused in all)
          """, run.out());
      assertEquals(SsiJson.MAPPER.readTree("{\"to\":\"node-2\"}"), SsiJson.MAPPER.readTree(
          node.requests("POST", "/ssi/processes/123/migrate").get(0).body()));
    }
  }

  @Test
  void migrationThatDidNotCompleteExitsOne() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/123/migrate", 200,
          String.format(MIGRATION, "resumed-on-source"));
      CannedNode.Run run = CannedNode.run(new Ssi(), "migrate", "--node", node.url(), "123",
          "node-2");
      assertEquals(1, run.exit());
      assertTrue(run.out().contains("resumed-on-source"), run.out());
      assertEquals("ssi migrate: the migration ended resumed-on-source, not complete\n",
          run.err());
    }
  }

  @Test
  void conflictPrintsTheServersMessage() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/123/migrate", 409,
          "{\"error\":\"pid 123 is already on node-2\",\"status\":409}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "migrate", "--node", node.url(), "123",
          "node-2");
      assertEquals(1, run.exit());
      assertEquals("ssi migrate: pid 123 is already on node-2 (HTTP 409)\n", run.err());
    }
  }

  @Test
  void missingTokenGetsAHint() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/123/migrate", 401,
          "{\"error\":\"admin token required\",\"status\":401}");
      MigrateCommand migrate = new MigrateCommand();
      migrate.client = new ManagementClient(Optional.empty());
      CannedNode.Run run = CannedNode.run(migrate, "--node", node.url(), "123", "node-2");
      assertEquals(1, run.exit());
      assertTrue(run.err().startsWith("ssi migrate: admin token required (HTTP 401) (set "
          + "SSI_ADMIN_TOKEN"), run.err());
    }
  }

  @Test
  void killSendsTheSignal() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/123/kill", 200, "{\"pid\":123,\"signal\":\"KILL\"}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "kill", "--node", node.url(), "123",
          "--signal", "KILL");
      assertEquals(0, run.exit(), run.err());
      assertEquals("pid 123: sent KILL\n", run.out());
      assertEquals(SsiJson.MAPPER.readTree("{\"signal\":\"KILL\"}"), SsiJson.MAPPER.readTree(
          node.requests("POST", "/ssi/processes/123/kill").get(0).body()));
    }
  }

  @Test
  void killOfAnExitedProcessIsRefused() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes/9/kill", 409,
          "{\"error\":\"pid 9 has exited\",\"status\":409}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "kill", "--node", node.url(), "9");
      assertEquals(1, run.exit());
      assertEquals("ssi kill: pid 9 has exited (HTTP 409)\n", run.err());
      assertEquals(SsiJson.MAPPER.readTree("{\"signal\":\"TERM\"}"), SsiJson.MAPPER.readTree(
          node.requests("POST", "/ssi/processes/9/kill").get(0).body()));
    }
  }

  @Test
  void drainPrintsWhatMovedAndWhere() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/nodes/node-3/drain", 200,
          "{\"node\":\"node-3\",\"migrated\":[123,124],\"leaving\":true}");
      node.on("GET", "/ssi/processes/123", 200,
          "{\"pid\":123,\"program\":\"counter\",\"node\":\"node-1\",\"state\":\"running\"}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "drain", "--node", node.url(), "node-3");
      assertEquals(0, run.exit(), run.err());
      assertEquals("""
          node-3: 2 process(es) migrated off; the node is leaving the cluster
            pid 123 counter -> node-1
            pid 124
          """, run.out());
    }
  }
}

package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ssi.cluster.http.SsiJson;

/**
 * {@code ssi spawn}: pipeline parsing, the request body for a single process and a pipeline (as
 * the contract's {@code POST /ssi/processes} takes it), the printed pids, the bearer token on the
 * request, and a refused spawn's one-line error.
 */
class SpawnCommandTest {

  private static final String CREATED = "{\"pids\":[%s],\"processes\":[]}";

  @Test
  void pipelineSplitsOnBarsAndWhiteSpace() {
    assertEquals(List.of(List.of("yes", "10"), List.of("cat")),
        SpawnSpec.parsePipeline("yes 10 | cat"));
    assertEquals(List.of(List.of("yes", "10"), List.of("cat"), List.of("wc", "-l")),
        SpawnSpec.parsePipeline("  yes   10|cat |  wc -l "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpawnSpec.parsePipeline("yes 10 | "));
    assertEquals("stage 2 of 'yes 10 | ' is empty", e.getMessage());
  }

  @Test
  void nodesPerStageAreNoneOneForAllOrOneEach() {
    assertEquals(Arrays.asList(null, null), SpawnSpec.nodesPerStage(List.of(), 2));
    assertEquals(List.of("node-2", "node-2"), SpawnSpec.nodesPerStage(List.of("node-2"), 2));
    assertEquals(List.of("node-2", "node-3"),
        SpawnSpec.nodesPerStage(List.of("node-2", "node-3"), 2));
    assertThrows(IllegalArgumentException.class,
        () -> SpawnSpec.nodesPerStage(List.of("node-1", "node-2", "node-3"), 2));
  }

  @Test
  void singleSpawnSendsTheContractBodyAndPrintsThePid() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes", 201, String.format(CREATED, "123"));
      SpawnCommand spawn = new SpawnCommand();
      spawn.client = new ManagementClient(Optional.of("s3cret"));
      CannedNode.Run run = CannedNode.run(spawn, "--node", node.url(), "counter",
          "/demo/c.log", "300", "100", "--on", "node-1", "--stdout", "/demo/c.log", "--append",
          "--env", "K=V");
      assertEquals(0, run.exit(), run.err());
      assertEquals("123\n", run.out());
      CannedNode.Request request = node.requests("POST", "/ssi/processes").get(0);
      assertEquals("Bearer s3cret", request.authorization());
      assertEquals(SsiJson.MAPPER.readTree("""
          {"program":"counter","args":["/demo/c.log","300","100"],"env":{"K":"V"},
           "node":"node-1","stdout":{"file":"/demo/c.log","append":true}}"""),
          SsiJson.MAPPER.readTree(request.body()));
    }
  }

  @Test
  void pipelineSpawnPlacesEachStageAndPrintsThePids() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes", 201, String.format(CREATED, "124, 125"));
      CannedNode.Run run = CannedNode.run(new Ssi(), "spawn", "--node", node.url(),
          "--pipeline", "yes 1000 | cat", "--on", "node-2,node-3", "--stdout", "/demo/p.log");
      assertEquals(0, run.exit(), run.err());
      assertEquals("124 125\n", run.out());
      CannedNode.Request request = node.requests("POST", "/ssi/processes").get(0);
      assertNull(request.authorization(), "no token configured, none sent");
      assertEquals(SsiJson.MAPPER.readTree("""
          {"pipeline":[{"program":"yes","args":["1000"],"node":"node-2"},
                       {"program":"cat","args":[],"node":"node-3",
                        "stdout":{"file":"/demo/p.log","append":false}}]}"""),
          SsiJson.MAPPER.readTree(request.body()));
    }
  }

  @Test
  void ttySpawnPutsStdinAndStdoutOnATerminal() throws IOException {
    SpawnCommand spawn = new SpawnCommand();
    spawn.argv = List.of("cat");
    spawn.tty = true;
    JsonNode body = spawn.body();
    assertEquals(SsiJson.MAPPER.readTree("""
        {"program":"cat","args":[],"stdin":{"tty":true},"stdout":{"tty":true}}"""), body);
  }

  @Test
  void refusedSpawnPrintsTheErrorAndExitsOne() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("POST", "/ssi/processes", 400,
          "{\"error\":\"unknown program: nope\",\"status\":400}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "spawn", "--node", node.url(), "nope");
      assertEquals(1, run.exit());
      assertEquals("ssi spawn: unknown program: nope (HTTP 400)\n", run.err());
      assertEquals("", run.out());
    }
  }

  @Test
  void contradictoryOptionsAreAUsageErrorWithoutARequest() throws IOException {
    try (CannedNode node = new CannedNode()) {
      CannedNode.Run run = CannedNode.run(new Ssi(), "spawn", "--node", node.url(),
          "--pipeline", "yes 3 | cat", "--on", "node-1,node-2,node-3");
      assertEquals(ClusterCommand.USAGE, run.exit());
      assertTrue(run.err().contains("--on names 3 nodes for 2 stages"), run.err());
      assertTrue(node.requests.isEmpty());
    }
  }
}

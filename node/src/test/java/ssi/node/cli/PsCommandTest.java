package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ssi.cluster.http.SsiJson;

/**
 * {@code ssi ps}: the table (sorted by pid, aligned, {@code *} for a driver away from its process,
 * exit status with reason) from canned {@code GET /ssi/processes} JSON; without {@code --node},
 * the first live node of the local cluster; exit 2 with a one-line message when no node can be
 * reached, exit 1 with the JSON error when it refuses.
 */
class PsCommandTest {

  static final String PROCESSES = """
      {"processes":[
       {"pid":124,"program":"cat","args":[],"node":"node-3","state":"waiting","exitStatus":null,
        "exitReason":null,"steps":17,"migrations":0,"startedAt":"2026-11-30T04:00:00Z",
        "fds":[{"fd":0,"kind":"pipe-read","driverNode":"node-3","local":true,"detail":"pipe 7"},
               {"fd":1,"kind":"file","driverNode":"node-1","local":false,
                "detail":"/demo/pipe.log"}],"residual":[]},
       {"pid":123,"program":"counter","args":["/demo/counter.log","300","100"],"node":"node-2",
        "state":"exited","exitStatus":143,"exitReason":"killed by TERM","steps":1234,
        "migrations":2,"startedAt":"2026-11-30T04:00:00Z","fds":[],"residual":[]},
       {"pid":125,"program":"yes","args":["10"],"node":"node-2","state":"exited","exitStatus":0,
        "exitReason":"exited","steps":11,"migrations":0,"startedAt":"2026-11-30T04:00:00Z",
        "fds":[{"fd":1,"kind":"pipe-write","driverNode":"node-2","local":true,"detail":""}],
        "residual":[]}]}
      """;

  @Test
  void tableIsSortedAlignedAndMarksRemoteDrivers() throws IOException {
    JsonNode body = SsiJson.MAPPER.readTree(PROCESSES);
    List<String> lines = ProcessTable.format(body.path("processes"));
    assertEquals(List.of(
        "PID  PROGRAM  NODE    STATE    STEPS  MIGRATIONS  EXIT                  FDS",
        "123  counter  node-2  exited   1234   2           143 (killed by TERM)  -",
        "124  cat      node-3  waiting  17     0           -                     "
            + "0:pipe-read@node-3 1:file@node-1*",
        "125  yes      node-2  exited   11     0           0                     "
            + "1:pipe-write@node-2"), lines);
  }

  @Test
  void psPrintsTheTableFromTheNode() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("GET", "/ssi/processes", 200, PROCESSES);
      CannedNode.Run run = CannedNode.run(new Ssi(), "ps", "--node", node.url() + "/");
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().startsWith("PID  PROGRAM"), run.out());
      assertTrue(run.out().contains("1:file@node-1*"), run.out());
      assertEquals(4, run.out().lines().count());
    }
  }

  @Test
  void refusalPrintsTheJsonErrorAndExitsOne() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("GET", "/ssi/processes", 503, "{\"error\":\"no store\",\"status\":503}");
      CannedNode.Run run = CannedNode.run(new Ssi(), "ps", "--node", node.url());
      assertEquals(1, run.exit());
      assertEquals("ssi ps: no store (HTTP 503)\n", run.err());
    }
  }

  @Test
  void aNodeThatIsNotAnHttpUrlIsAUsageErrorWithAClearMessage() {
    for (String bad : new String[] {"8558", "127.0.0.1:8558", "ftp://127.0.0.1:8558", "http://"}) {
      CannedNode.Run run = CannedNode.run(new Ssi(), "ps", "--node", bad);
      assertEquals(64, run.exit(), bad + ": " + run.err());
      assertTrue(run.err().contains("is not a node's management URL"), run.err());
    }
  }

  @Test
  void unreachableNodeExitsTwo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    CannedNode.Run run = CannedNode.run(new Ssi(), "ps", "--node", "http://127.0.0.1:" + port);
    assertEquals(2, run.exit());
    assertEquals("ssi ps: cannot reach the cluster at http://127.0.0.1:" + port
        + ": connection refused\n", run.err());
  }

  @Test
  void withoutNodeOptionTheFirstLiveLocalNodeIsAsked(@TempDir Path home) throws IOException {
    String before = System.getProperty("ssi.home");
    System.setProperty("ssi.home", home.toString());
    try (CannedNode node = new CannedNode()) {
      CannedNode.Run none = CannedNode.run(new Ssi(), "ps");
      assertEquals(2, none.exit());
      assertEquals("ssi ps: cannot reach the cluster: no cluster running (`bin/ssi up` starts "
          + "one, or pass --node URL)\n", none.err());

      node.on("GET", "/ssi/node", 200, "{\"name\":\"node-1\"}");
      node.on("GET", "/ssi/processes", 200, PROCESSES);
      int port = Integer.parseInt(node.url().substring(node.url().lastIndexOf(':') + 1));
      // a record of a node "ssi up" started: this JVM's pid is alive, the port is the canned node
      LocalCluster cluster = new LocalCluster(home);
      cluster.save(new LocalCluster.NodeRecord("node-1", ProcessHandle.current().pid(), 1, port,
          home.resolve("node-1.log")));
      CannedNode.Run run = CannedNode.run(new Ssi(), "ps");
      assertEquals(0, run.exit(), run.err());
      assertEquals(4, run.out().lines().count(), run.out());
      assertEquals(1, node.requests("GET", "/ssi/processes").size());
    } finally {
      if (before == null) {
        System.clearProperty("ssi.home");
      } else {
        System.setProperty("ssi.home", before);
      }
    }
  }
}

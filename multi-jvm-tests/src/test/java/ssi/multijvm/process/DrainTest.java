package ssi.multijvm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Draining a node (DESIGN §10 placement and drain): every process on it migrates to the other
 * nodes, then it leaves the cluster and its JVM ends; the processes run to the end elsewhere
 * with nothing lost — a counter's file and a pipeline's output are complete.
 */
@ExtendWith(MultiJvm.class)
class DrainTest {

  private final ProcessHttp http = new ProcessHttp();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void drainingMovesEveryProcessAwayAndTheNodeLeaves(TestCluster cluster) throws Exception {
    cluster.start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n3 = cluster.node(3);
    int count = 200;
    int lines = 2000;
    long counter = http.spawn(n1, "{\"program\":\"counter\",\"args\":[\"/drain/c.log\",\""
        + count + "\",\"50\"],\"node\":\"node-3\"}").get(0);
    List<Long> pipe = http.spawn(n1, "{\"pipeline\":["
        + "{\"program\":\"yes\",\"args\":[\"" + lines + "\",\"50\",\"20\"],\"node\":\"node-3\"},"
        + "{\"program\":\"cat\",\"node\":\"node-1\",\"stdout\":{\"file\":\"/drain/p.log\"}}]}");

    ProcessHttp.Answer a = http.send("POST", n1.baseUrl() + "/ssi/nodes/node-3/drain", null,
        Duration.ofSeconds(90));
    assertEquals(200, a.status(), a.text());
    Set<Long> drained = new TreeSet<>();
    a.json().path("migrated").forEach(p -> drained.add(p.asLong()));
    assertEquals(new TreeSet<>(List.of(counter, pipe.get(0))), drained, a.text());

    Await.until(Duration.ofSeconds(60), "node-3 has left and its JVM ended", () -> {
      assertFalse(n3.isAlive(), "node-3 still running");
      assertEquals(2, cluster.members(n1).up().size(), "members " + cluster.members(n1));
    });

    JsonNode c = http.awaitExit(n1, counter, Duration.ofSeconds(90));
    assertEquals(0, c.path("exitStatus").asInt(), c.toString());
    ProcessHttp.assertNumbered(text(http.read(n1, ProcessHttp.fileObject(c, 0),
        ProcessHttp.numbered(count).length())), count, "the drained counter");
    for (long pid : pipe) {
      JsonNode done = http.awaitExit(n1, pid, Duration.ofSeconds(90));
      assertEquals(0, done.path("exitStatus").asInt(), done.toString());
    }
    JsonNode cat = http.info(n1, pipe.get(1));
    ProcessHttp.assertNumbered(text(http.read(n1, ProcessHttp.fileObject(cat, 1),
        ProcessHttp.numbered(lines).length())), lines, "the pipeline fed from the drained node");
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}

package ssi.multijvm.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.Http;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Invariant 1 across node loss: node-1 keeps 1,000 requests outstanding to node-3 (credits in
 * flight, the rest queued on the link); {@code kill -9} of node-3 gives every one of them exactly
 * one reply — success or EHOSTDOWN — no later than 5 s after the Split Brain Resolver removed
 * node-3, and no hang.
 */
@ExtendWith(MultiJvm.class)
class MeshNodeLossTest {

  private static final int REQUESTS = 1000;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyOutstandingRequestGetsExactlyOneReplyWhenTheTargetDies(TestCluster cluster)
      throws Exception {
    // Long enough that nothing times out: only EHOSTDOWN may end the held requests.
    cluster.withProperty("ssi.mesh.request-timeout", "300s").start(3);
    NodeProcess client = cluster.node(1);
    NodeProcess target = cluster.node(3);
    Http http = cluster.http();

    Http.Response started = http.send("POST", client.baseUrl() + "/ssi/mesh/load",
        "{\"node\":\"node-3\",\"count\":" + REQUESTS + ",\"holdMillis\":600000}");
    assertEquals(202, started.status(), started.body());
    String status = client.baseUrl() + "/ssi/mesh/load/" + started.json().path("id").asLong();
    // node-3 is holding a full credit window: the requests are really outstanding over there.
    Await.until(Duration.ofSeconds(30), "node-3 holds requests", () -> {
      long held = 0;
      for (JsonNode in : http.getJson(target.baseUrl() + "/ssi/mesh").path("inbound")) {
        held += in.path("processed").asLong();
      }
      assertTrue(held > 0, "node-3 processed " + held);
    });
    assertEquals(0, http.getJson(status).path("replied").asLong(), "all still outstanding");

    target.kill9();
    long killed = System.nanoTime();
    long[] removedAt = {-1};
    long[] allRepliedAt = {-1};
    Await.until(Duration.ofSeconds(90), "node-3 removed and every request answered", () -> {
      long now = System.nanoTime();
      if (removedAt[0] < 0 && !cluster.members(client).all().contains(target.address())) {
        removedAt[0] = now;
      }
      if (allRepliedAt[0] < 0 && http.getJson(status).path("replied").asLong() == REQUESTS) {
        allRepliedAt[0] = now;
      }
      assertTrue(removedAt[0] > 0 && allRepliedAt[0] > 0, "removed/all replied not both yet");
    });

    JsonNode run = http.getJson(status);
    long ok = run.path("outcomes").path("OK").asLong();
    long hostDown = run.path("outcomes").path("EHOSTDOWN").asLong();
    System.out.printf("mesh node loss: %d requests: %d OK, %d EHOSTDOWN, %d duplicate replies; "
            + "all answered %.1f s after kill -9, node-3 removed after %.1f s%n",
        REQUESTS, ok, hostDown, run.path("duplicates").asLong(),
        (allRepliedAt[0] - killed) / 1e9, (removedAt[0] - killed) / 1e9);
    assertEquals(REQUESTS, run.path("replied").asLong());
    assertEquals(0, run.path("duplicates").asLong(), "no message got a second reply");
    assertEquals(REQUESTS, ok + hostDown, "every reply is success or EHOSTDOWN: " + run);
    assertTrue(hostDown > 0, "the held requests failed with EHOSTDOWN: " + run);
    assertTrue(allRepliedAt[0] - removedAt[0] <= Duration.ofSeconds(5).toNanos(),
        "all replies within the SBR removal time plus 5 s");
  }
}

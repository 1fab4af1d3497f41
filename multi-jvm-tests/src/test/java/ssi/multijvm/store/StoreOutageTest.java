package ssi.multijvm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.StoreProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Every node is handed the harness's embedded PostgreSQL and reports it on {@code /ssi/store};
 * when the database dies ({@code kill -9} of the store and its server) the nodes report it down
 * and stay Up; when it is started again on the same port and data they recover by themselves.
 */
@ExtendWith(MultiJvm.class)
class StoreOutageTest {

  /** Generous: a probe that finds the database gone answers within a few connect timeouts. */
  private static final Duration STORE_CHANGE = Duration.ofSeconds(60);

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void nodesReportTheStoreDownWhileItIsDeadAndRecoverWhenItIsBack(TestCluster cluster)
      throws Exception {
    cluster.start(2);
    StoreProcess store = cluster.store();
    List<NodeProcess> nodes = cluster.nodes();
    for (NodeProcess n : nodes) {
      JsonNode s = awaitStore(cluster, n, true);
      assertTrue(s.path("configured").asBoolean(), s.toString());
      assertEquals(store.url(), s.path("url").asText());
      assertTrue(s.path("stats").has("commits"), s.toString());
    }

    store.kill9();
    assertFalse(store.isAlive());
    for (NodeProcess n : nodes) {
      JsonNode s = awaitStore(cluster, n, false);
      assertTrue(s.path("configured").asBoolean(), s.toString());
      assertEquals("EIO", s.path("errno").asText(), s.toString());
      assertFalse(s.path("stats").path("available").asBoolean(), s.toString());
    }
    cluster.awaitAllUp(nodes); // losing the database does not cost a node its membership
    for (NodeProcess n : nodes) {
      assertTrue(n.isAlive(), n + " exited");
      assertEquals("Up", cluster.http().getJson(n.baseUrl() + "/ssi/node").path("status")
          .asText());
    }

    store.restart();
    for (NodeProcess n : nodes) {
      JsonNode s = awaitStore(cluster, n, true);
      assertEquals("OK", s.path("errno").asText(), s.toString());
      assertTrue(s.path("stats").path("available").asBoolean(), s.toString());
    }
    cluster.awaitAllUp(nodes);
  }

  /** Polls the node's {@code /ssi/store} until it reports {@code up}; returns that answer. */
  private static JsonNode awaitStore(TestCluster cluster, NodeProcess n, boolean up) {
    JsonNode[] last = new JsonNode[1];
    Await.until(STORE_CHANGE, n.name() + " reports the store up=" + up, () -> {
      last[0] = cluster.http().getJson(n.baseUrl() + "/ssi/store");
      assertEquals(up, last[0].path("up").asBoolean(), last[0].toString());
    });
    return last[0];
  }
}

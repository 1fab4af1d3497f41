package ssi.multijvm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Http;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Three node JVMs with the project's real application.conf form ONE cluster through Cluster
 * Bootstrap and config discovery alone (no seed-node list) — on one host, where a wrong
 * {@code filter-on-fallback-port} would leave three clusters of one — and every node answers
 * {@code /ssi/node} with its identity, and a bad path with a JSON 404.
 */
@ExtendWith(MultiJvm.class)
class ClusterFormationTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void threeNodesBootstrapOneClusterAndDescribeThemselves(TestCluster cluster) throws Exception {
    cluster.start(3); // waits until every node sees all three Up

    Set<String> leaders = new HashSet<>();
    for (NodeProcess n : cluster.nodes()) {
      TestCluster.Members m = cluster.members(n);
      assertEquals(3, m.up().size(), n.name() + " sees " + m);
      leaders.add(m.leader());
    }
    assertEquals(1, leaders.size(), "one cluster has one leader: " + leaders);

    Http http = cluster.http();
    for (NodeProcess n : cluster.nodes()) {
      JsonNode info = http.getJson(n.baseUrl() + "/ssi/node");
      assertEquals(n.name(), info.path("name").asText());
      assertEquals(n.address(), info.path("address").asText());
      assertEquals("Up", info.path("status").asText());
      assertTrue(info.path("cpus").asInt() >= 1, info.toString());
      assertTrue(info.path("uptimeSeconds").asLong() >= 0, info.toString());
      assertTrue(info.path("roles").toString().contains("name:" + n.name()), info.toString());
      assertTrue(!info.path("version").asText().isEmpty(), info.toString());

      Http.Response missing = http.get(n.baseUrl() + "/ssi/no-such-thing");
      assertEquals(404, missing.status());
      assertEquals(404, missing.json().path("status").asInt());
      assertTrue(missing.json().path("error").asText().contains("/ssi/no-such-thing"));

      Http.Response badMethod = http.send("DELETE", n.baseUrl() + "/ssi/node", null);
      assertEquals(405, badMethod.status(), badMethod.body());
      assertTrue(badMethod.json().path("error").asText().contains("GET"), badMethod.body());
    }
  }
}

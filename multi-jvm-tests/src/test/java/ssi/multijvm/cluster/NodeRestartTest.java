package ssi.multijvm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/** A node killed and restarted on the same ports rejoins the running cluster. */
@ExtendWith(MultiJvm.class)
class NodeRestartTest {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRestartedNodeRejoinsOnTheSamePorts(TestCluster cluster) throws Exception {
    cluster.start(3);
    NodeProcess node3 = cluster.node(3);
    long firstPid = node3.pid();

    node3.kill9();
    cluster.awaitAllUp(List.of(cluster.node(1), cluster.node(2)));
    cluster.restart(3);

    cluster.awaitAllUp(cluster.nodes());
    assertEquals("Up", cluster.http().getJson(node3.baseUrl() + "/ssi/node").path("status").asText());
    assertEquals(3, cluster.members(cluster.node(1)).up().size());
    assertNotEquals(firstPid, node3.pid(), "a new JVM answers");
  }
}

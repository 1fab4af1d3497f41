package ssi.multijvm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/** {@code kill -9} of one node: the Split Brain Resolver removes it and the other two stay Up. */
@ExtendWith(MultiJvm.class)
class NodeCrashTest {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theSurvivorsRemoveAKilledNodeAndStayUp(TestCluster cluster) throws Exception {
    cluster.start(3);
    NodeProcess victim = cluster.node(3);

    victim.kill9();

    assertFalse(victim.isAlive());
    List<NodeProcess> survivors = List.of(cluster.node(1), cluster.node(2));
    cluster.awaitAllUp(survivors); // exactly the two survivors, all Up, none unreachable
    for (NodeProcess n : survivors) {
      assertEquals(2, cluster.members(n).up().size());
      assertEquals("Up", cluster.http().getJson(n.baseUrl() + "/ssi/node").path("status").asText());
    }
  }
}

package ssi.cluster.mesh;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import ssi.cluster.testing.ClusterTestKits;

/** The mesh tests' cluster: {@link ClusterTestKits} with small mesh settings and the mesh up. */
final class MeshTestCluster {

  static final String MESH_CONFIG = """
      ssi.mesh {
        retry-after = 200ms
        request-timeout = 2s
        credits = 4
        queue-size = 8
      }
      """;

  private MeshTestCluster() {
  }

  /** {@code n} systems (all named {@code name}, as a cluster requires) joined to the first. */
  static List<ActorTestKit> start(String name, int n) {
    List<ActorTestKit> kits = ClusterTestKits.start(name, n, MESH_CONFIG);
    kits.forEach(k -> Mesh.get(k.system()));
    return kits;
  }

  /** Adds one more system to the cluster of {@code first}. */
  static ActorTestKit join(String name, ActorTestKit first, int expectedMembers) {
    ActorTestKit kit = ClusterTestKits.join(name, first, expectedMembers, MESH_CONFIG);
    Mesh.get(kit.system());
    return kit;
  }

  static void stop(List<ActorTestKit> kits) {
    ClusterTestKits.stop(kits);
  }

  static Address address(ActorTestKit kit) {
    return ClusterTestKits.address(kit);
  }
}

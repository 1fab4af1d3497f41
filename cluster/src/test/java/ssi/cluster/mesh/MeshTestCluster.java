package ssi.cluster.mesh;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** Several cluster-provider actor systems in one JVM, joined over real Artery TCP on loopback. */
final class MeshTestCluster {

  static final String MESH_CONFIG = """
      akka.actor.provider = cluster
      akka.actor.serialize-messages = on
      akka.remote.artery.canonical.hostname = 127.0.0.1
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.large-message-destinations = ["/system/ssi-mesh-bulk"]
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.downing-provider-class = ""
      akka.loglevel = INFO
      ssi.cpus = 2
      ssi.mesh {
        retry-after = 200ms
        request-timeout = 2s
        credits = 4
        queue-size = 8
      }
      """;

  private MeshTestCluster() {
  }

  static Config config() {
    return ConfigFactory.parseString(MESH_CONFIG).withFallback(ConfigFactory.load());
  }

  /** {@code n} systems (all named {@code name}, as a cluster requires) joined to the first. */
  static List<ActorTestKit> start(String name, int n) {
    List<ActorTestKit> kits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kits.add(ActorTestKit.create(name, config()));
    }
    Address first = Cluster.get(kits.get(0).system()).selfMember().address();
    for (ActorTestKit kit : kits) {
      Mesh.get(kit.system());
      Cluster.get(kit.system()).manager().tell(Join.create(first));
    }
    for (ActorTestKit kit : kits) {
      awaitUp(kit, n);
    }
    return kits;
  }

  /** Adds one more system to the cluster of {@code first}. */
  static ActorTestKit join(String name, ActorTestKit first, int expectedMembers) {
    ActorTestKit kit = ActorTestKit.create(name, config());
    Mesh.get(kit.system());
    Cluster.get(kit.system()).manager()
        .tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    awaitUp(kit, expectedMembers);
    awaitUp(first, expectedMembers);
    return kit;
  }

  static void awaitUp(ActorTestKit kit, int n) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), () -> {
      long up = StreamSupport.stream(
              Cluster.get(kit.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count();
      if (up != n) {
        throw new AssertionError("expected " + n + " members Up, got " + up);
      }
      return null;
    });
  }

  /** Stops all systems at once (one by one, each would wait for the others to notice it leave). */
  static void stop(List<ActorTestKit> kits) {
    kits.forEach(k -> k.system().terminate());
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  static Address address(ActorTestKit kit) {
    return Cluster.get(kit.system()).selfMember().address();
  }
}

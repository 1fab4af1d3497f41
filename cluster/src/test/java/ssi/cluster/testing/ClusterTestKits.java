package ssi.cluster.testing;

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

/**
 * Several cluster nodes in one JVM for tests: actor systems (all named alike, as a cluster
 * requires) on free loopback ports over real Artery TCP, joined to the first, every SSI message
 * checked through the serializer. Used by the mesh, coherence and files tests.
 *
 * <pre>{@code
 * List<ActorTestKit> nodes = ClusterTestKits.start("MyTest", 3, "ssi.mesh.credits = 4");
 * ...
 * ClusterTestKits.stop(nodes);
 * }</pre>
 */
public final class ClusterTestKits {

  /** The settings every in-JVM cluster test needs; tests add their own on top. */
  public static final String BASE = """
      akka.actor.provider = cluster
      akka.actor.serialize-messages = on
      akka.remote.artery.canonical.hostname = 127.0.0.1
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.large-message-destinations = ["/system/ssi-mesh-bulk"]
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.downing-provider-class = ""
      akka.actor.testkit.typed.system-shutdown-default = 60s
      akka.cluster.sharding.handoff-timeout = 5s
      akka.loglevel = INFO
      ssi.cpus = 2
      """;

  private static final Duration FORM = Duration.ofSeconds(30);

  private ClusterTestKits() {
  }

  /** {@link #BASE} with {@code extra} on top, over the class path's reference config. */
  public static Config config(String extra) {
    return ConfigFactory.parseString(extra).withFallback(ConfigFactory.parseString(BASE))
        .withFallback(ConfigFactory.load());
  }

  /** {@code n} systems named {@code name}, joined to the first, each seeing {@code n} Up. */
  public static List<ActorTestKit> start(String name, int n, String extra) {
    List<ActorTestKit> kits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kits.add(ActorTestKit.create(name, config(extra)));
    }
    Address first = address(kits.get(0));
    for (ActorTestKit kit : kits) {
      Cluster.get(kit.system()).manager().tell(Join.create(first));
    }
    for (ActorTestKit kit : kits) {
      awaitUp(kit, n);
    }
    return kits;
  }

  /** One more system joined to the cluster of {@code first}. */
  public static ActorTestKit join(String name, ActorTestKit first, int expectedMembers,
      String extra) {
    ActorTestKit kit = ActorTestKit.create(name, config(extra));
    Cluster.get(kit.system()).manager().tell(Join.create(address(first)));
    awaitUp(kit, expectedMembers);
    awaitUp(first, expectedMembers);
    return kit;
  }

  /** Waits until {@code kit}'s system sees exactly {@code n} members Up. */
  public static void awaitUp(ActorTestKit kit, int n) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(FORM, () -> {
      long up = StreamSupport.stream(
              Cluster.get(kit.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count();
      if (up != n) {
        throw new AssertionError("expected " + n + " members Up, got " + up);
      }
      return null;
    });
  }

  /** Stops all systems at once (one by one, each would wait for the others to see it leave). */
  public static void stop(List<ActorTestKit> kits) {
    kits.forEach(k -> k.system().terminate());
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  public static Address address(ActorTestKit kit) {
    return Cluster.get(kit.system()).selfMember().address();
  }
}

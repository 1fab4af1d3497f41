package ssi.multijvm.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Mutual TLS between nodes: node-1 and node-2, certified by the cluster CA, form a cluster over
 * Artery {@code tls-tcp}; a node-3 whose certificate comes from another CA finds them (Cluster
 * Bootstrap over plain management HTTP) but never becomes a member, while the two stay Up; a
 * correctly certified node-3 on the same ports then joins. Certificates are made by
 * {@code bin/ssi-certs} into {@code target/tls/}.
 *
 * <p>The impostor trusts the cluster CA, so it would accept the cluster's nodes: what keeps it out
 * is the cluster's demand for a client certificate from its own CA (mutual authentication).
 * node-3 runs from a second {@link TestCluster} so that it starts only once node-1 and node-2 are
 * Up; it probes their management endpoints only, so it joins rather than forms a cluster.
 */
@ExtendWith(MultiJvm.class)
class MutualTlsJoinTest {

  private static final String PASSWORD = "multi-jvm-secret";
  /** How long the impostor is watched not becoming a member. */
  private static final Duration IMPOSTOR_WINDOW = Duration.ofSeconds(20);
  private static final Duration CERTS_TIMEOUT = Duration.ofSeconds(120);

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void onlyANodeCertifiedByTheClusterCaJoins(TestCluster cluster) throws Exception {
    Path certs = freshDirectory(Path.of("target", "tls", "MutualTlsJoinTest"));
    Path clusterCa = certs.resolve("cluster");
    Path rogueCa = certs.resolve("rogue");
    CertRun rogueCerts = ssiCerts(rogueCa, "Rogue CA", "node-3"); // made while the cluster starts
    awaitSuccess(ssiCerts(clusterCa, "SSI cluster CA", "node-1", "node-2", "node-3"));

    cluster.withProperty("ssi.tls.enabled", "on")
        .withProperty("ssi.tls.trust-store", clusterCa.resolve("truststore.p12").toString())
        .withProperty("ssi.tls.password", PASSWORD)
        .withNodeProperty(1, "ssi.tls.key-store", clusterCa.resolve("node-1.p12").toString())
        .withNodeProperty(2, "ssi.tls.key-store", clusterCa.resolve("node-2.p12").toString())
        .start(2);
    NodeProcess node1 = cluster.node(1);
    NodeProcess node2 = cluster.node(2);
    awaitSuccess(rogueCerts);

    TestCluster joiner = TestCluster.create("MutualTlsJoinTest-node-3");
    try {
      String seeds = node1.baseUrl().replace("http://", "") + ","
          + node2.baseUrl().replace("http://", "");
      joiner.withProperty("ssi.tls.enabled", "on")
          .withProperty("ssi.tls.trust-store", clusterCa.resolve("truststore.p12").toString())
          .withProperty("ssi.tls.password", PASSWORD)
          .withNodeProperty(1, "ssi.node.name", "node-3")
          .withNodeProperty(1, "ssi.node.seeds", seeds)
          .withNodeProperty(1, "ssi.tls.key-store", rogueCa.resolve("node-3.p12").toString())
          .launch(1);
      NodeProcess node3 = joiner.node(1);

      assertNeverWithin(IMPOSTOR_WINDOW, () -> {
        assertTrue(node3.isAlive(), "the impostor must keep trying to join, but exited:\n"
            + String.join("\n", node3.logTail(30)));
        for (NodeProcess viewer : List.of(node1, node2)) {
          TestCluster.Members m = cluster.members(viewer);
          Set<String> expected = Set.of(node1.address(), node2.address());
          assertEquals(expected, m.all(), viewer.name() + " members");
          assertEquals(expected, m.up(), viewer.name() + " Up");
          assertTrue(m.unreachable().isEmpty(), viewer.name() + " unreachable " + m.unreachable());
        }
      });

      // It was kept out by TLS, not by anything else: the cluster refused its certificate.
      assertTrue(Files.readString(node3.log()).contains("SSLHandshakeException"),
          "the impostor's log shows its TLS handshakes refused");

      node3.kill9();
      joiner.withNodeProperty(1, "ssi.tls.key-store", clusterCa.resolve("node-3.p12").toString())
          .restart(1);
      cluster.awaitAllUp(List.of(node1, node2, node3));
      assertEquals(3, cluster.members(node1).up().size());
    } catch (Exception | AssertionError e) {
      joiner.printLogTails(40);
      throw e;
    } finally {
      joiner.close();
    }
  }

  /** Runs {@code check} every 250 ms for {@code window}; fails as soon as it fails once. */
  private static void assertNeverWithin(Duration window, CheckedRunnable check) throws Exception {
    long deadline = System.nanoTime() + window.toNanos();
    do {
      check.run();
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    } while (System.nanoTime() < deadline);
  }

  @FunctionalInterface
  private interface CheckedRunnable {
    void run() throws Exception;
  }

  /** A running {@code bin/ssi-certs} and the file it writes its output to. */
  private record CertRun(Process process, Path log) {
  }

  /** Starts {@code bin/ssi-certs}: a CA in {@code out} and a keystore per node. */
  private static CertRun ssiCerts(Path out, String caName, String... nodes) throws IOException {
    Path root = Path.of(System.getProperty("ssi.project.root", "..")).toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/ssi-certs").toString(),
        "--out", out.toString(), "--password", PASSWORD, "--ca-name", caName));
    command.addAll(List.of(nodes));
    Files.createDirectories(out);
    Path log = out.resolve("ssi-certs.log");
    return new CertRun(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start(), log);
  }

  private static void awaitSuccess(CertRun run) throws Exception {
    assertTrue(run.process().waitFor(CERTS_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
        "ssi-certs finished");
    assertEquals(0, run.process().exitValue(), "ssi-certs failed:\n" + Files.readString(run.log()));
  }

  private static Path freshDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    return Files.createDirectories(dir).toAbsolutePath();
  }
}

package ssi.multijvm.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;
import ssi.node.cli.Ssi;

/**
 * Files from outside the cluster, across three node JVMs: a file put with {@code ssi put}
 * through one node reads byte-identical over HTTP and with {@code ssi cat} through the others;
 * a capability minted on one node reads and writes on every node, and an altered, truncated or
 * foreign one gets 403 and changes nothing; a {@code ..} in a request path gets 400 and
 * creates nothing; {@code /ssi/locks} answers on every node.
 */
@ExtendWith(MultiJvm.class)
class FilesHttpAcrossNodesTest {

  private static final String SECRET = "multi-jvm-files-secret";

  private final FileHttp http = new FileHttp();

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void filesAndCapabilitiesWorkFromEveryNode(TestCluster cluster, @TempDir Path tmp)
      throws Exception {
    cluster.withProperty("ssi.security.secret", SECRET).start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    NodeProcess n3 = cluster.node(3);

    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    Path local = tmp.resolve("local.bin");
    Files.write(local, data);
    assertEquals(0, ssi("put", "--node", n1.baseUrl(), local.toString(), "/docs/blob"));
    assertArrayEquals(data, http.ok(n2, "GET", "/ssi/files/docs/blob", null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, ssi(out, "cat", "--node", n3.baseUrl(), "/docs/blob"));
    assertArrayEquals(data, out.toByteArray());
    ByteArrayOutputStream listing = new ByteArrayOutputStream();
    assertEquals(0, ssi(listing, "ls", "--node", n2.baseUrl(), "/docs"));
    assertEquals("blob", listing.toString().trim());
    assertEquals(0, ssi(new ByteArrayOutputStream(), "stat", "--node", n3.baseUrl(),
        "/docs/blob"));
    assertEquals(1, ssi(new ByteArrayOutputStream(), "cat", "--node", n3.baseUrl(),
        "/docs/missing"));

    // A capability minted on node 1 works on every node, without the path.
    String cap = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        http.ok(n1, "POST", "/ssi/files/docs/blob?handle", null)).path("capability").asText();
    assertEquals(66, cap.length(), cap);
    for (NodeProcess n : List.of(n1, n2, n3)) {
      assertArrayEquals(data, http.ok(n, "GET", "/ssi/handles/" + cap, null), n.name());
    }
    http.ok(n2, "PUT", "/ssi/handles/" + cap + "?offset=0", "CAPABLE".getBytes());
    System.arraycopy("CAPABLE".getBytes(), 0, data, 0, 7);
    assertArrayEquals(data, http.ok(n3, "GET", "/ssi/files/docs/blob", null));

    char c = cap.charAt(30);
    String altered = cap.substring(0, 30) + (c == 'x' ? 'y' : 'x') + cap.substring(31);
    String truncated = cap.substring(0, cap.length() - 1);
    for (String bad : List.of(altered, truncated, "AAAA" + cap.substring(4))) {
      for (NodeProcess n : List.of(n1, n2, n3)) {
        assertEquals(403, http.send(n, "GET", "/ssi/handles/" + bad, null).status(), n.name());
        FileHttp.Res put = http.send(n, "PUT", "/ssi/handles/" + bad + "?offset=0",
            "EVIL".getBytes());
        assertEquals(403, put.status(), put.text());
        assertTrue(put.text().contains("\"error\""), put.text());
      }
    }
    assertArrayEquals(data, http.ok(n1, "GET", "/ssi/files/docs/blob", null));

    // Traversal: refused although the server collapses the dot segments before routing.
    FileHttp.Res dots = http.send(n2, "PUT", "/ssi/files/docs/../evil", "x".getBytes());
    assertEquals(400, dots.status(), dots.text());
    assertEquals(404, http.send(n3, "GET", "/ssi/files/evil", null).status());

    for (NodeProcess n : List.of(n1, n2, n3)) {
      assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          http.ok(n, "GET", "/ssi/locks", null)).path("objects").isArray(), n.name());
    }
  }

  private static int ssi(String... args) {
    return ssi(new ByteArrayOutputStream(), args);
  }

  /** Runs an {@code ssi} command in this JVM with its standard output going to {@code out}. */
  private static synchronized int ssi(ByteArrayOutputStream out, String... args) {
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      return new CommandLine(new Ssi()).execute(args);
    } finally {
      System.out.flush();
      System.setOut(saved);
    }
  }
}

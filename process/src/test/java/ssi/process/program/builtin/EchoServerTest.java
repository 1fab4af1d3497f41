package ssi.process.program.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.cluster.testing.ClusterTestKits;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;
import ssi.process.core.SpawnSpec;
import ssi.process.fd.Sockets;
import ssi.process.migration.MigrationRecord;
import ssi.process.migration.MigrationResult;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * {@code echo-server} end to end on a two-node in-JVM cluster (real Artery, every message
 * between the nodes through Kryo, the page store on an embedded PostgreSQL): a plain
 * {@link Socket} talks to the port the process's listening descriptor shows, and keeps talking
 * while the process migrates — the socket stays on its node and the process reaches it through
 * its proxy port.
 */
@ExtendWith(LogCapture.class)
class EchoServerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ProcessCluster cluster;
  private static List<ActorTestKit> nodes;
  private static final List<Socket> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("EchoServerTest", 2, "");
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Socket s : clients) {
      s.close();
    }
    cluster.stop();
  }

  @Test
  void echoesEveryByteOfEachConnectionAndExitsAfterMaxConnections() throws Exception {
    long pid = spawn("0", "2");
    int port = listenPort(pid);
    Random random = new Random(7);
    for (int c = 0; c < 2; c++) {
      try (Socket s = connect(port)) {
        for (int i = 0; i < 8; i++) { // 64 KiB in chunks, each read back before the next
          byte[] chunk = new byte[8 * 1024];
          random.nextBytes(chunk);
          s.getOutputStream().write(chunk);
          assertArrayEquals(chunk, readFully(s.getInputStream(), chunk.length));
        }
        s.shutdownOutput(); // EOF: the server closes its end, which we read as EOF
        assertEquals(-1, s.getInputStream().read());
      }
    }
    ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
    assertEquals(0, done.exitStatus(), "exit status, " + done);
    assertClosed(port, 0);
  }

  @Test
  void migratedMidConnectionKeepsEchoingThroughTheSocketsProxy() throws Exception {
    long pid = spawn("0", "2");
    int port = listenPort(pid);
    String source = ClusterTestKits.address(nodes.get(0)).toString();
    String target = ClusterTestKits.address(nodes.get(1)).toString();
    try (Socket s = connect(port)) {
      assertEquals("before", echo(s, "before"));
      MigrationResult m = Processes.get(sys(0)).migrate(pid, target).toCompletableFuture()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, m.status(), "migration: " + m.error());
      assertEquals(List.of("core"), m.record().pieces().stream()
          .map(MigrationRecord.Piece::piece).filter(p -> !p.contains("written back")).toList(),
          "only the core moves, never a socket");

      assertEquals("after the move", echo(s, "after the move"));
      assertEquals("and again", echo(s, "and again"));
      ProcessInfo moved = awaitInfo(pid, i -> target.equals(i.node())
          && i.residual().stream().anyMatch(r -> r.messages() > 0));
      assertSocketsStayOn(source, moved, 2);
      s.shutdownOutput();
      assertEquals(-1, s.getInputStream().read());
    }
    try (Socket s = connect(port)) { // accepted on the source by a process on the target
      assertEquals("second", echo(s, "second"));
      ProcessInfo info = awaitInfo(pid, i -> i.fds().size() == 2);
      assertSocketsStayOn(source, info, 2);
      assertTrue(info.residual().stream().anyMatch(r -> r.what().startsWith("fd 0 (socket)")
          && r.messages() > 0), "accepting through the proxy counts: " + info.residual());
      s.shutdownOutput();
      assertEquals(-1, s.getInputStream().read());
    }
    ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
    assertEquals(0, done.exitStatus(), "exit status, " + done);
    assertClosed(port, 0);
  }

  /** {@code n} socket descriptors, each served from {@code node} and listed as residual. */
  private static void assertSocketsStayOn(String node, ProcessInfo info, int n) {
    List<ProcessInfo.Fd> sockets = info.fds().stream()
        .filter(f -> f.kind().equals("socket")).toList();
    assertEquals(n, sockets.size(), "socket descriptors: " + info.fds());
    for (ProcessInfo.Fd f : sockets) {
      assertEquals(node, f.driverNode(), "a socket never moves: " + f);
      assertFalse(f.local(), f.toString());
      assertTrue(info.residual().stream().anyMatch(r -> r.what().startsWith("fd " + f.fd()
          + " (socket)") && node.equals(r.node())), "residual " + info.residual());
    }
  }

  @Test
  void aTakenPortMakesItExitOne() throws Exception {
    long first = spawn("0", "1");
    int port = listenPort(first);
    long second = spawn(String.valueOf(port), "1");
    ProcessInfo done = awaitInfo(second, ProcessInfo::exited);
    assertEquals(1, done.exitStatus(), "exit status, " + done);
    try (Socket s = connect(port)) { // the first still serves
      assertEquals("still here", echo(s, "still here"));
    }
    assertEquals(0, awaitInfo(first, ProcessInfo::exited).exitStatus());
    assertClosed(port, 0);
  }

  // ---- helpers ----

  private static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  private static long spawn(String... args) throws Exception {
    SpawnSpec spec = new SpawnSpec("echo-server", List.of(args), Map.of(),
        ClusterTestKits.address(nodes.get(0)).toString(), Map.of());
    Processes.Outcome<List<Long>> r = Processes.get(sys(0)).spawn(List.of(spec))
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "spawn: " + r.error());
    return r.value().get(0);
  }

  /** The port in the listening descriptor's detail, e.g. {@code listen 127.0.0.1:40123}. */
  private static int listenPort(long pid) throws Exception {
    ProcessInfo info = awaitInfo(pid, i -> i.fds().stream()
        .anyMatch(f -> f.detail() != null && f.detail().startsWith("listen 127.0.0.1:")));
    String detail = info.fds().stream().map(ProcessInfo.Fd::detail)
        .filter(d -> d.startsWith("listen ")).findFirst().orElseThrow();
    return Integer.parseInt(detail.substring(detail.lastIndexOf(':') + 1));
  }

  /** The process as {@code GET /ssi/processes/{pid}} shows it, once {@code ready} holds. */
  private static ProcessInfo awaitInfo(long pid, Predicate<ProcessInfo> ready) {
    return cluster.awaitInfo(0, pid, ready, WAIT);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout((int) WAIT.toMillis());
    clients.add(s);
    return s;
  }

  private static String echo(Socket s, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(b);
    return new String(readFully(s.getInputStream(), b.length), StandardCharsets.UTF_8);
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    assertEquals(n, b.length, "bytes echoed before EOF");
    return b;
  }

  /** The listening port refuses connections and node {@code node} holds no channel any more. */
  private static void assertClosed(int port, int node) {
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    nodes.get(node).createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(0, Sockets.get(sys(node)).openCount(), "channels still open");
      return null;
    });
  }
}

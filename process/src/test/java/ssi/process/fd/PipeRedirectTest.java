package ssi.process.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.process.core.FdSpec;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;
import ssi.process.core.SpawnSpec;
import ssi.process.migration.MigrationResult;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * The two ends of a pipe follow each other's moves without the stubs a move leaves behind, the
 * stubs go away, and a writer never takes a gone stub for a closed reader (DESIGN §10), on a
 * three-node in-JVM cluster (real Artery, Kryo, an embedded PostgreSQL). The last test makes
 * node A leave, so the tests run in order.
 */
@ExtendWith(LogCapture.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipeRedirectTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static ProcessCluster cluster;
  private static List<ActorTestKit> nodes;
  /** Node A has left (the last test): ask the others. */
  private static int asker;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("PipeRedirectTest", 3, "");
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  /** (a) No stub needed: the reader that moved tells the writer, and its stubs on A stop. */
  @Test
  @Order(1)
  void aMovedReaderTellsItsWriterAndLeavesNoStub() throws Exception {
    String a = address(0);
    String b = address(1);
    long stubsBefore = FdDriver.liveStubs(sys(0));
    // yes writes line 1, sleeps 8 s, writes line 2: the move happens while it sleeps.
    List<Long> pids = pipeline("/pipe-redirect/a.txt", a, a, "2", "8000", "1");
    long yes = pids.get(0);
    long cat = pids.get(1);
    awaitFile("/pipe-redirect/a.txt", "1\n"::equals);
    assertEquals(a, writerState(yes).readerNode(), "before the move");

    migrate(cat, b);
    DriverState.PipeWrite w = awaitWriter(yes, s -> s.readerNode().equals(b));
    assertEquals(1, w.readerGen(), "told by the reader's first move");
    awaitCount("redirect stubs on A", () -> FdDriver.liveStubs(sys(0)), stubsBefore);
    // Nothing was written since the move: the writer learnt it from the notice, not a stub.
    assertEquals("1\n", read("/pipe-redirect/a.txt"), "yes wrote meanwhile: the test is moot");

    assertEquals(0, awaitExit(yes).exitStatus());
    assertEquals(0, awaitExit(cat).exitStatus());
    assertEquals("1\n2\n", read("/pipe-redirect/a.txt"));
  }

  /** (c) A reader that really exits still makes its writer fail with EPIPE and end. */
  @Test
  @Order(2)
  void aWriterIntoAReaderThatExitsGetsEpipe() throws Exception {
    // cat PATH reads a (new, empty) file, not the pipe, and exits at once.
    SpawnSpec yes = new SpawnSpec("yes", List.of("100000000", "0", "64"), Map.of(), address(0),
        Map.of());
    SpawnSpec cat = new SpawnSpec("cat", List.of("/pipe-redirect/empty.txt"), Map.of(),
        address(1), Map.of(1, FdSpec.file("/pipe-redirect/c.txt", false)));
    List<Long> pids = spawn(List.of(yes, cat));
    assertEquals(0, awaitExit(pids.get(1)).exitStatus(), "cat");
    ProcessInfo y = awaitExit(pids.get(0));
    assertEquals(1, y.exitStatus(), "yes ends on EPIPE: " + y);
  }

  /**
   * The writer is never told (its node drops the reader's notices), so the stub on A stops
   * without it (the notice times out); the writer's next write finds the name gone on A, asks
   * the reader's process and goes to B — never EPIPE while the reader lives.
   */
  @Test
  @Order(3)
  void aWriterThatFindsTheStubGoneFindsTheReaderThroughItsProcess() throws Exception {
    String a = address(0);
    String b = address(1);
    String c = address(2);
    // yes writes line 1, sleeps 45 s (the notice times out after ssi.mesh.request-timeout,
    // 30 s), writes line 2.
    List<Long> pids = pipeline("/pipe-redirect/d.txt", c, a, "2", "45000", "1");
    long yes = pids.get(0);
    long cat = pids.get(1);
    String writerPort = "fd:" + yes + ":1";
    awaitFile("/pipe-redirect/d.txt", "1\n"::equals);
    long stubsBefore = FdDriver.liveStubs(sys(0));
    Mesh.get(sys(2)).setInboundFilter(r -> !r.port().equals(writerPort));
    try {
      migrate(cat, b);
      assertEquals(a, writerState(yes).readerNode(), "the notice got through");
      awaitCount("redirect stubs on A", () -> FdDriver.liveStubs(sys(0)), stubsBefore);
      assertEquals("1\n", read("/pipe-redirect/d.txt"), "yes wrote meanwhile: the test is moot");
      assertEquals(0, awaitExit(yes).exitStatus(), "yes must not get EPIPE");
      assertEquals(0, awaitExit(cat).exitStatus(), "cat");
      assertEquals("1\n2\n", read("/pipe-redirect/d.txt"));
    } finally {
      Mesh.get(sys(2)).setInboundFilter(ssi.cluster.mesh.InboundFilter.ACCEPT_ALL);
    }
  }

  /**
   * (b) The reader moves A→B, then A leaves while the writer on C keeps writing: every line
   * arrives exactly once, in order — the writer never turns A's absence into EPIPE.
   */
  @Test
  @Order(4)
  void aReaderThatMovedOffANodeThatLeavesLosesNothing() throws Exception {
    String a = address(0);
    String b = address(1);
    String c = address(2);
    int lines = 400;
    List<Long> pids = pipeline("/pipe-redirect/b.txt", c, a, String.valueOf(lines), "20", "1");
    long yes = pids.get(0);
    long cat = pids.get(1);
    awaitFile("/pipe-redirect/b.txt", s -> s.length() > 0);
    migrate(cat, b);
    ActorTestKit nodeA = nodes.get(0);
    asker = 1;
    nodeA.shutdownTestKit(); // A leaves the cluster
    String expected = LongStream.rangeClosed(1, lines).mapToObj(i -> i + "\n")
        .collect(Collectors.joining());
    assertEquals(0, awaitExit(yes).exitStatus(), "yes");
    assertEquals(0, awaitExit(cat).exitStatus(), "cat");
    assertEquals(expected, read("/pipe-redirect/b.txt"));
  }

  // ---- helpers ----

  private static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  private static String address(int i) {
    return ClusterTestKits.address(nodes.get(i)).toString();
  }

  /** {@code yes ARGS} on {@code yesNode} piped into {@code cat > path} on {@code catNode}. */
  private static List<Long> pipeline(String path, String yesNode, String catNode,
      String... yesArgs) throws Exception {
    return spawn(List.of(new SpawnSpec("yes", List.of(yesArgs), Map.of(), yesNode, Map.of()),
        new SpawnSpec("cat", List.of(), Map.of(), catNode,
            Map.of(1, FdSpec.file(path, false)))));
  }

  private static List<Long> spawn(List<SpawnSpec> stages) throws Exception {
    Processes.Outcome<List<Long>> r = Processes.get(sys(asker)).spawn(stages)
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "spawn: " + r.error());
    return r.value();
  }

  private static void migrate(long pid, String to) throws Exception {
    MigrationResult m = Processes.get(sys(asker)).migrate(pid, to).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(200, m.status(), "migration: " + m.error());
  }

  private static ProcessInfo awaitInfo(long pid, Predicate<ProcessInfo> ready) {
    return cluster.awaitInfo(asker, pid, ready, WAIT);
  }

  private static ProcessInfo awaitExit(long pid) {
    return awaitInfo(pid, ProcessInfo::exited);
  }

  /** The state of {@code pid}'s descriptor 1, a pipe's writing end, now. */
  private static DriverState.PipeWrite writerState(long pid) throws Exception {
    ProcessInfo info = awaitInfo(pid, i -> !i.exited());
    ProcessInfo.Fd fd = info.fds().stream().filter(f -> f.fd() == 1).findFirst().orElseThrow();
    return (DriverState.PipeWrite) AskPattern.<FdDriver.Command, DriverState>ask(fd.driver(),
            FdDriver.Describe::new, Duration.ofSeconds(10), sys(asker).scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static DriverState.PipeWrite awaitWriter(long pid,
      Predicate<DriverState.PipeWrite> ready) {
    return nodes.get(asker).createTestProbe().awaitAssert(WAIT, () -> {
      DriverState.PipeWrite w = writerState(pid);
      if (!ready.test(w)) {
        throw new AssertionError("writer of " + pid + " not there yet: " + w);
      }
      return w;
    });
  }

  private static void awaitCount(String what, java.util.function.LongSupplier count,
      long expected) {
    nodes.get(asker).createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(expected, count.getAsLong(), what);
      return null;
    });
  }

  private static String awaitFile(String path, Predicate<String> ready) {
    return nodes.get(asker).createTestProbe().awaitAssert(WAIT, () -> {
      String s = read(path);
      if (!ready.test(s)) {
        throw new AssertionError(path + " not there yet: " + s);
      }
      return s;
    });
  }

  /** The whole content of the cluster file {@code path} ("" while it does not exist). */
  private static String read(String path) throws Exception {
    return cluster.read(asker, path);
  }
}

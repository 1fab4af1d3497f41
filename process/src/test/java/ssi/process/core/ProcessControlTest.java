package ssi.process.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Reply;
import ssi.cluster.testing.ClusterTestKits;
import ssi.files.api.Files;
import ssi.files.handle.GlobalFileHandle;
import ssi.process.migration.MigrationResult;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * Process control on a two-node in-JVM cluster (real Artery, Kryo between the nodes, the page
 * store on an embedded PostgreSQL): the spawn system call, programs whose state cannot cross
 * nodes, a node being drained refusing new processes, and the refusals of migrate and kill.
 */
@ExtendWith(LogCapture.class)
class ProcessControlTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ProcessCluster cluster;
  private static List<ActorTestKit> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("ProcessControlTest", 2, TestPrograms.KRYO);
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  @Test
  void theSpawnSystemCallStartsAChildOnTheNamedNode() throws Exception {
    long parent = spawnOut(0, "/ctl/spawned.out", "test-spawner", node(1), "counter",
        "/ctl/child.log", "5", "10");
    assertEquals(0, awaitInfo(parent, ProcessInfo::exited).exitStatus());
    String out = read("/ctl/spawned.out");
    assertTrue(out.matches("pid \\d+\n"), "the parent wrote its child's pid: " + out);
    long child = Long.parseLong(out.trim().substring(4));
    ProcessInfo c = awaitInfo(child, ProcessInfo::exited);
    assertEquals("counter", c.program());
    assertEquals(node(1), c.node(), "spawned where the parent asked");
    assertEquals(0, c.exitStatus());
    assertEquals("1\n2\n3\n4\n5\n", read("/ctl/child.log"));
  }

  @Test
  void theSpawnSystemCallReportsAnUnknownProgramAndNode() throws Exception {
    long a = spawnOut(0, "/ctl/unknown-program.out", "test-spawner", "-", "no-such-program");
    long b = spawnOut(1, "/ctl/unknown-node.out", "test-spawner", "node-9", "counter", "/x", "1");
    assertEquals(0, awaitInfo(a, ProcessInfo::exited).exitStatus());
    assertEquals(0, awaitInfo(b, ProcessInfo::exited).exitStatus());
    assertEquals("errno ENOENT\n", read("/ctl/unknown-program.out"));
    assertEquals("errno EHOSTDOWN\n", read("/ctl/unknown-node.out"));
  }

  @Test
  void aStdoutFileNotAppendedToIsEmptiedFirst() throws Exception {
    Reply<GlobalFileHandle> fh = OpenFile.open(sys(0), "/ctl/truncated.out").toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(Files.get(sys(0)).write(fh.value(), 0, "an older and much longer content\n"
        .getBytes(StandardCharsets.US_ASCII)).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
    long pid = spawnOut(0, "/ctl/truncated.out", "test-spawner", "-", "no-such-program");
    assertEquals(0, awaitInfo(pid, ProcessInfo::exited).exitStatus());
    assertEquals("errno ENOENT\n", read("/ctl/truncated.out"), "as a shell's >");
  }

  @Test
  void aProgramWhoseStateCannotCrossNodesIsRefusedAtSpawn() throws Exception {
    Processes.Outcome<List<Long>> r = spawn(0, "test-unregistered");
    assertEquals(400, r.status(), "refused: " + r.error());
    assertTrue(r.error().contains("cannot be serialized"), r.error());
  }

  @Test
  void aMigrationOfStateThatCannotCrossNodesIsRefusedAndTheProcessRunsOn() throws Exception {
    long pid = spawn(Processes.get(sys(0)), node(0), "test-hoarder", "40").value().get(0);
    awaitInfo(pid, i -> i.steps() >= 2);
    MigrationResult m = migrate(0, pid, node(1));
    assertEquals(422, m.status(), "refused: " + m.error());
    assertTrue(m.error().contains("cannot migrate"), m.error());
    ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
    assertEquals(0, done.exitStatus(), "it ran on where it was: " + done);
    assertEquals(node(0), done.node());
    assertEquals(0, done.migrations());
  }

  @Test
  void aDrainingNodeTakesNoNewProcessAndTakesThemAgainWhenTheDrainIsOff() throws Exception {
    setDraining(1, true);
    try {
      for (int i = 0; i < 4; i++) { // the least-loaded node would otherwise get some
        long pid = spawn(0, "counter", "/ctl/placed-" + i + ".log", "100", "100").value().get(0);
        assertEquals(node(0), awaitInfo(pid, i2 -> true).node(), "placed off the draining node");
        kill(pid);
      }
      Processes.Outcome<List<Long>> named = spawn(Processes.get(sys(0)), node(1), "counter",
          "/ctl/named.log", "1");
      // A pipeline is whole or nothing: its last stage starts first, here on node 1, and is
      // ended when the first cannot start on the draining node.
      Processes.Outcome<List<Long>> pipeline = Processes.get(sys(0)).spawn(List.of(
              new SpawnSpec("yes", List.of("100000", "10"), Map.of(), node(1), Map.of()),
              new SpawnSpec("wc", List.of(), Map.of(), node(0), Map.of())))
          .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(503, pipeline.status(), "pipeline: " + pipeline.error());
      assertTrue(pipeline.error().contains("killed"), pipeline.error());
      nodes.get(0).createTestProbe().awaitAssert(WAIT, () -> {
        List<ProcessInfo> all = Processes.get(sys(0)).list().toCompletableFuture()
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(all.stream().noneMatch(i -> i.program().equals("wc") && !i.exited()),
            "the started stage was ended: " + all);
        return null;
      });
      assertEquals(503, named.status(), "spawn on a draining node: " + named.error());
      assertTrue(named.error().contains("being drained"), named.error());

      long pid = spawn(Processes.get(sys(0)), node(0), "counter", "/ctl/mover.log", "200", "50")
          .value().get(0);
      MigrationResult m = migrate(0, pid, node(1));
      assertEquals(503, m.status(), "migration to a draining node: " + m.error());
      assertTrue(m.error().contains("being drained"), m.error());
      assertEquals(node(0), awaitInfo(pid, i -> !i.exited()).node(), "it resumed here");
      setDraining(1, false);
      MigrationResult again = migrate(0, pid, node(1));
      assertEquals(200, again.status(), "after the drain is off: " + again.error());
      kill(pid);
    } finally {
      setDraining(1, false);
    }
  }

  @Test
  void migrateAndKillRefuseWhatCannotBeDone() throws Exception {
    long pid = spawn(Processes.get(sys(0)), node(0), "counter", "/ctl/refusals.log", "500", "20")
        .value().get(0);
    assertEquals(409, migrate(0, pid, node(0)).status(), "already there");
    assertEquals(404, migrate(0, pid, "node-7").status(), "unknown node");
    assertEquals(404, migrate(0, 987_654_321L, node(1)).status(), "unknown pid");
    var moving = Processes.get(sys(0)).migrate(pid, node(1)).toCompletableFuture();
    // Two at once: whichever reaches the process first migrates it; the other is refused
    // (already migrating, or already there once the first is done).
    MigrationResult second = migrate(1, pid, node(1));
    MigrationResult first = moving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of(200, 409), java.util.stream.Stream.of(first.status(), second.status())
        .sorted().toList(), "two migrations at once: " + first.error() + " / " + second.error());
    assertEquals(400, Processes.get(sys(0)).kill(pid, "HUP").toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).status(), "unknown signal");
    kill(pid);
    ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
    assertEquals(143, done.exitStatus(), "killed by TERM: " + done);
    assertEquals("killed by TERM", done.exitReason());
    assertEquals(409, Processes.get(sys(1)).kill(pid, "TERM").toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).status(), "already exited");
    // Its descriptors' ports — the driver it had before the move, the stub, the driver after —
    // are gone from both nodes' registries (/ssi/ports).
    nodes.get(0).createTestProbe().awaitAssert(WAIT, () -> {
      for (int n = 0; n < nodes.size(); n++) {
        List<String> left = ssi.actors.lwkt.Ports.get(sys(n)).all().stream()
            .map(ssi.actors.lwkt.PortStats::name).filter(name -> name.startsWith("fd:" + pid + ":"))
            .toList();
        assertTrue(left.isEmpty(), "ports left on node " + n + ": " + left);
      }
      return null;
    });
  }

  // ---- helpers ----

  /** Node i's name: in-JVM nodes have none, so their address. */
  private static String node(int i) {
    return ClusterTestKits.address(nodes.get(i)).toString();
  }

  private static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  private static Processes.Outcome<List<Long>> spawn(int via, String program, String... args)
      throws Exception {
    return spawn(Processes.get(sys(via)), null, program, args);
  }

  private static Processes.Outcome<List<Long>> spawn(Processes p, String node, String program,
      String... args) throws Exception {
    SpawnSpec spec = new SpawnSpec(program, List.of(args), Map.of(), node, Map.of());
    return p.spawn(List.of(spec)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Spawns with descriptor 1 on the cluster file {@code out}; the pid. */
  private static long spawnOut(int via, String out, String program, String... args)
      throws Exception {
    SpawnSpec spec = new SpawnSpec(program, List.of(args), Map.of(), null,
        Map.of(1, FdSpec.file(out, false)));
    Processes.Outcome<List<Long>> r = Processes.get(sys(via)).spawn(List.of(spec))
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "spawn: " + r.error());
    return r.value().get(0);
  }

  private static MigrationResult migrate(int via, long pid, String to) throws Exception {
    return Processes.get(sys(via)).migrate(pid, to).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void kill(long pid) throws Exception {
    Processes.Outcome<String> k = Processes.get(sys(0)).kill(pid, "TERM").toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(k.isOk(), "kill: " + k.error());
  }

  private static void setDraining(int node, boolean on) throws Exception {
    AskPattern.<ProcessTable.Command, ProcessTable.Listing>ask(
            ProcessTable.ref(sys(0), ClusterTestKits.address(nodes.get(node)).toString()),
            r -> new ProcessTable.SetDraining(on, r), WAIT, sys(0).scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The whole cluster file at {@code path}. */
  private static String read(String path) throws Exception {
    return cluster.read(0, path);
  }

  private static ProcessInfo awaitInfo(long pid, Predicate<ProcessInfo> ready) {
    return cluster.awaitInfo(0, pid, ready, WAIT);
  }
}

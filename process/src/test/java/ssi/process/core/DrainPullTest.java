package ssi.process.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.cluster.testing.ClusterTestKits;
import ssi.process.migration.MigrationResult;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * A drain with {@code ssi.process.file-driver-stays = on}, on two in-JVM nodes: a process that
 * had moved off the drained node earlier left its file driver there; the drain takes that driver
 * back to the process before the node leaves, so the process writes on with nothing lost, and a
 * process still running on the drained node moves off.
 */
@ExtendWith(LogCapture.class)
class DrainPullTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static ProcessCluster cluster;
  private static List<ActorTestKit> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("DrainPullTest", 2, """
        ssi.process.file-driver-stays = on
        """);
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  @Test
  void drainTakesBackTheDriversLeftOnTheNodeAndMovesWhatRunsThere() throws Exception {
    String drained = node(0);
    String stays = node(1);
    long moved = spawn(drained, "/drain/moved.log", "60", "50");
    long running = spawn(drained, "/drain/running.log", "60", "50");
    awaitInfo(moved, i -> i.fds().size() == 1);
    MigrationResult m = Processes.get(sys(1)).migrate(moved, stays).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(200, m.status(), "migration: " + m.error());
    ProcessInfo before = awaitInfo(moved, i -> stays.equals(i.node()));
    assertEquals(drained, before.fds().get(0).driverNode(), "the file driver stayed: " + before);

    Processes.Outcome<List<Long>> d = Processes.get(sys(1)).drain(drained).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(d.isOk(), "drain: " + d.error());
    assertEquals(List.of(running), d.value(), "what ran on the drained node moved");
    ProcessInfo pulled = awaitInfo(moved, i -> true);
    assertEquals(stays, pulled.fds().get(0).driverNode(), "the driver came back: " + pulled);
    assertTrue(pulled.residual().isEmpty(), "no residual left: " + pulled.residual());
    nodes.get(1).createTestProbe().awaitAssert(WAIT, () -> {
      assertTrue(nodes.get(0).system().whenTerminated().isCompleted(), "the drained node left");
      return null;
    });

    for (long pid : List.of(moved, running)) {
      ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
      assertEquals(0, done.exitStatus(), "exit: " + done);
      assertEquals(stays, done.node());
    }
    String expected = IntStream.rangeClosed(1, 60).mapToObj(i -> i + "\n")
        .collect(Collectors.joining());
    assertEquals(expected, read("/drain/moved.log"), "every line once, in order");
    assertEquals(expected, read("/drain/running.log"), "every line once, in order");
  }

  private static String node(int i) {
    return ClusterTestKits.address(nodes.get(i)).toString();
  }

  private static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  private static long spawn(String node, String path, String... args) throws Exception {
    List<String> a = new ArrayList<>();
    a.add(path);
    a.addAll(List.of(args));
    SpawnSpec spec = new SpawnSpec("counter", a, Map.of(), node, Map.of());
    Processes.Outcome<List<Long>> r = Processes.get(sys(1)).spawn(List.of(spec))
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "spawn: " + r.error());
    return r.value().get(0);
  }

  /** The whole cluster file at {@code path}. */
  private static String read(String path) throws Exception {
    return cluster.read(1, path);
  }

  private static ProcessInfo awaitInfo(long pid, Predicate<ProcessInfo> ready) {
    return cluster.awaitInfo(1, pid, ready, WAIT);
  }
}

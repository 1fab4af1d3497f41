package ssi.process.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
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
import ssi.process.core.FdSpec;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;
import ssi.process.core.SpawnSpec;
import ssi.process.migration.MigrationResult;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * ^C typed on a process's tty ends it with status 130 ("killed by INT") on a two-node in-JVM
 * cluster (real Artery, Kryo between the nodes, the page store on an embedded PostgreSQL),
 * before and after it migrated: the terminal side is reached the way {@code ssi attach} reaches
 * it (the driver {@code GET /ssi/processes/{pid}} lists, asked from the first node), and the
 * signal goes to whichever node runs the process now — also when the process never reads its
 * tty.
 */
@ExtendWith(LogCapture.class)
class TtyInterruptClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CTRL_C = "\u0003";
  private static ProcessCluster cluster;
  private static List<ActorTestKit> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("TtyInterruptClusterTest", 2, "");
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  @Test
  void ctrlCEndsCatReadingItsTty() throws Exception {
    long pid = spawn("cat", List.of(), Map.of(0, FdSpec.tty(), 1, FdSpec.tty()));
    type(pid, "hi\n");
    awaitScreen(pid, s -> s.equals("hi\nhi\n")); // the echo, then what cat wrote
    type(pid, "unfinished" + CTRL_C);
    assertKilledByInt(awaitInfo(pid, ProcessInfo::exited));
  }

  @Test
  void ctrlCEndsCatAfterItMigratedToTheOtherNode() throws Exception {
    long pid = spawn("cat", List.of(), Map.of(0, FdSpec.tty(), 1, FdSpec.tty()));
    type(pid, "before\n");
    awaitScreen(pid, s -> s.equals("before\nbefore\n"));
    String target = migrateToSecond(pid);
    type(pid, "after\n");
    awaitScreen(pid, s -> s.equals("before\nbefore\nafter\nafter\n"));
    type(pid, CTRL_C);
    ProcessInfo done = awaitInfo(pid, ProcessInfo::exited);
    assertKilledByInt(done);
    assertEquals(target, done.node(), "ended where it ran");
  }

  @Test
  void ctrlCEndsAMigratedProcessThatNeverReadsItsTty() throws Exception {
    long pid = spawn("counter", List.of("100000", "20"), Map.of(1, FdSpec.tty()));
    awaitScreen(pid, s -> s.startsWith("1\n2\n"));
    migrateToSecond(pid);
    type(pid, CTRL_C);
    assertKilledByInt(awaitInfo(pid, ProcessInfo::exited));
  }

  // ---- helpers ----

  private static ActorSystem<?> sys(int i) {
    return nodes.get(i).system();
  }

  private static void assertKilledByInt(ProcessInfo info) {
    assertEquals(130, info.exitStatus(), "exit status, " + info);
    assertEquals("killed by INT", info.exitReason(), info.toString());
  }

  private static long spawn(String program, List<String> args, Map<Integer, FdSpec> fds)
      throws Exception {
    SpawnSpec spec = new SpawnSpec(program, args, Map.of(),
        ClusterTestKits.address(nodes.get(0)).toString(), fds);
    Processes.Outcome<List<Long>> r = Processes.get(sys(0)).spawn(List.of(spec))
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(r.isOk(), "spawn: " + r.error());
    return r.value().get(0);
  }

  /** Migrates {@code pid} to the second node, every driver with it; answers that node. */
  private static String migrateToSecond(long pid) throws Exception {
    String target = ClusterTestKits.address(nodes.get(1)).toString();
    MigrationResult m = Processes.get(sys(0)).migrate(pid, target).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(200, m.status(), "migration: " + m.error());
    ProcessInfo moved = awaitInfo(pid, i -> target.equals(i.node()));
    assertTrue(moved.fds().stream().allMatch(ProcessInfo.Fd::local),
        "the tty moved with the process: " + moved.fds());
    return target;
  }

  /** The tty's driver as the process lists it, asked from the first node. */
  private static ActorRef<FdDriver.Command> tty(long pid) {
    ProcessInfo info = awaitInfo(pid, i -> true);
    return info.fds().stream().filter(f -> f.kind().equals("tty")).findFirst()
        .orElseThrow(() -> new AssertionError("no tty: " + info)).driver();
  }

  private static void type(long pid, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Reply<Integer> r = AskPattern.<FdDriver.Command, Reply<Integer>>ask(tty(pid),
            to -> new FdDriver.TtyInput(bytes, to), WAIT, sys(0).scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Reply.ok(bytes.length), r, "typed " + text);
  }

  private static FdDriver.TtyView view(long pid) throws Exception {
    return AskPattern.<FdDriver.Command, FdDriver.TtyView>ask(tty(pid),
            to -> new FdDriver.TtyOutput(0, to), WAIT, sys(0).scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void awaitScreen(long pid, Predicate<String> ready) {
    nodes.get(0).createTestProbe().awaitAssert(WAIT, () -> {
      String screen = view(pid).output();
      assertTrue(ready.test(screen), "screen so far: " + screen);
      return null;
    });
  }

  /** The process as {@code GET /ssi/processes/{pid}} shows it, once {@code ready} holds. */
  private static ProcessInfo awaitInfo(long pid, Predicate<ProcessInfo> ready) {
    return cluster.awaitInfo(0, pid, ready, WAIT);
  }
}

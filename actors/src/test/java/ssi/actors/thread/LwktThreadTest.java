package ssi.actors.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/** LWKT threads: bound to a CPU's thread, moved by an IPI hand-off without losing messages. */
@ExtendWith(LogCapture.class)
class LwktThreadTest {

  private static final ActorTestKit KIT = ActorTestKit.create("LwktThreadTest",
      ConfigFactory.parseString("ssi.cpus = 2").withFallback(ConfigFactory.load()));
  private static final Cpus CPUS = Cpus.get(KIT.system());
  private static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** A thread whose body answers "cpu:sequence" and checks the sequence never goes backwards. */
  private static LwktThreadHandle<Integer, String> spawnCounter(String name, int cpu,
      List<Integer> seen) {
    return LwktThreads.spawn(KIT.system(), name, cpu, msg -> {
      seen.add(msg.body());
      Lwkt.replyValue(msg, CPUS.currentCpu() + ":" + msg.body());
    });
  }

  private static String ask(LwktThreadHandle<Integer, String> t, int body) {
    Reply<String> r = Lwkt.domsg(t.port(), Msg.of(body)).toCompletableFuture()
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return r.value();
  }

  private static List<String> threadsOn(int cpu) {
    CompletableFuture<List<String>> f = new CompletableFuture<>();
    CPUS.ipi(cpu, c -> f.complete(c.threads()));
    return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  @Test
  void threadRunsOnItsCpuAndMovesByHandOff() {
    List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    LwktThreadHandle<Integer, String> t = spawnCounter("mover", 0, seen);
    assertEquals(PortKind.THREAD, t.port().kind());
    assertEquals("0:1", ask(t, 1));
    assertTrue(threadsOn(0).contains("mover"));

    int moved = t.moveTo(1, WAIT).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    assertEquals(1, moved);
    assertEquals(1, t.cpu());
    assertEquals("1:2", ask(t, 2));
    assertTrue(threadsOn(1).contains("mover"));
    assertTrue(!threadsOn(0).contains("mover"), "left cpu 0's run queue");
  }

  @Test
  void messagesSentDuringMovesAreNeitherLostNorReordered() {
    List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    LwktThreadHandle<Integer, String> t = spawnCounter("busy", 0, seen);
    List<CompletableFuture<Reply<String>>> replies = new ArrayList<>();
    List<CompletableFuture<Integer>> moves = new ArrayList<>();
    int n = 3_000;
    for (int i = 0; i < n; i++) {
      replies.add(Lwkt.domsg(t.port(), Msg.of(i)).toCompletableFuture());
      if (i % 500 == 250) {
        moves.add(t.moveTo(1 - (i / 500) % 2, WAIT).toCompletableFuture());
      }
    }
    for (CompletableFuture<Reply<String>> r : replies) {
      assertTrue(r.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().isOk());
    }
    for (CompletableFuture<Integer> m : moves) {
      m.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
    List<Integer> order = new ArrayList<>(seen);
    assertEquals(n, order.size(), "every message handled exactly once");
    for (int i = 0; i < n; i++) {
      assertEquals(i, order.get(i), "order kept across moves");
    }
    assertEquals(n, t.port().stats().replied());
  }

  @Test
  void onlyTheThreadsCpuMayTakeFromItsPort() {
    AtomicReference<Msg<Integer, String>> grabbed = new AtomicReference<>();
    LwktThreadHandle<Integer, String> t = LwktThreads.spawn(KIT.system(), "owner", 0, msg -> {
      grabbed.set(msg);
      Lwkt.replyValue(msg, "ok");
    });
    ask(t, 1);
    // A message that reached the port: taking it from the test thread is refused.
    Msg<Integer, String> stolen = Msg.of(2);
    t.port().rebind(grabbed::set); // park the next message instead of delivering it
    t.port().domsg(stolen);
    assertThrows(IllegalStateException.class, stolen::begin);
  }
}

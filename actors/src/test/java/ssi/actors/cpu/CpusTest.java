package ssi.actors.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.testing.LogCapture;

/** CPU actors and IPIs: own threads, FIFO order, direct self calls, passive batching, floods. */
@ExtendWith(LogCapture.class)
class CpusTest {

  private static final ActorTestKit KIT = ActorTestKit.create("CpusTest", ConfigFactory.parseString(
      "ssi.cpus = 2\nssi.ipi.fifo-size = 8\nssi.ipi.tick = 10ms").withFallback(ConfigFactory.load()));
  private static final Cpus CPUS = Cpus.get(KIT.system());
  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** Runs {@code op} on {@code cpu} and waits for it. */
  static <T> T on(int cpu, java.util.function.Function<CpuState, T> op) {
    CompletableFuture<T> f = new CompletableFuture<>();
    CPUS.ipi(cpu, c -> {
      try {
        f.complete(op.apply(c));
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  @Test
  void eachCpuRunsOnItsOwnDispatcherThread() {
    String t0 = on(0, c -> Thread.currentThread().getName());
    String t1 = on(1, c -> Thread.currentThread().getName());
    assertTrue(t0.startsWith("CpusTest-ssi-cpu-0-"), t0);
    assertTrue(t1.startsWith("CpusTest-ssi-cpu-1-"), t1);
    assertEquals(2, CPUS.count());
    assertEquals(-1, CPUS.currentCpu());
    assertEquals(1, (int) on(1, c -> CPUS.currentCpu()));
  }

  @Test
  void ipiToSelfIsADirectCall() {
    boolean ranBeforeReturn = on(0, c -> {
      AtomicBoolean ran = new AtomicBoolean();
      CPUS.ipi(0, self -> ran.set(true));
      return ran.get();
    });
    assertTrue(ranBeforeReturn);
  }

  @Test
  void ipisKeepFifoOrderPerSourceAndTargetEvenPastAFullFifo() {
    int n = 5_000;
    ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
    on(0, c -> {
      for (int i = 0; i < n; i++) {
        int seq = i;
        Ipi op = target -> seen.add(seq);
        if (i % 3 == 0) {
          CPUS.ipiPassive(1, op);
        } else {
          CPUS.ipi(1, op);
        }
      }
      return null;
    });
    TestProbe<Object> probe = KIT.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(n, seen.size());
      return null;
    });
    List<Integer> order = new ArrayList<>(seen);
    for (int i = 0; i < n; i++) {
      assertEquals(i, order.get(i), "IPI order from cpu 0 to cpu 1");
    }
    CpuStats s0 = on(0, CpuState::stats);
    assertTrue(s0.fifoFull() > 0, "the FIFO of 8 overflowed into the backlog: " + s0);
  }

  @Test
  void passiveIpisAreBatchedWithoutWakeUps() {
    CpuStats before1 = on(1, CpuState::stats);
    CpuStats before0 = on(0, CpuState::stats);
    AtomicLong ran = new AtomicLong();
    on(0, c -> {
      for (int i = 0; i < 4; i++) { // under half of the FIFO: no backlog, no early drain
        CPUS.ipiPassive(1, target -> ran.incrementAndGet());
      }
      return null;
    });
    TestProbe<Object> probe = KIT.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(4, ran.get());
      return null;
    });
    CpuStats after0 = on(0, CpuState::stats);
    CpuStats after1 = on(1, CpuState::stats);
    assertEquals(4, after0.passiveSent() - before0.passiveSent());
    assertEquals(before0.wakeupsSent(), after0.wakeupsSent(), "passive IPIs send no wake-up");
    assertEquals(4, after0.wakeupsAvoided() - before0.wakeupsAvoided());
    assertTrue(after1.batched() - before1.batched() >= 3, "one drain ran all four: " + after1);
  }

  @Test
  void twoCpusFloodingEachOtherDoNotDeadlock() {
    int perSide = 20_000;
    AtomicLong done = new AtomicLong();
    for (int cpu = 0; cpu < 2; cpu++) {
      int other = 1 - cpu;
      CPUS.ipi(cpu, c -> {
        for (int i = 0; i < perSide; i++) {
          // Each op, on arrival, IPIs back: both directions are full at once.
          CPUS.ipi(other, t -> {
            done.incrementAndGet();
            CPUS.ipi(1 - t.id(), back -> done.incrementAndGet());
          });
        }
      });
    }
    TestProbe<Object> probe = KIT.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(4L * perSide, done.get());
      return null;
    });
    CpuStats s0 = on(0, CpuState::stats);
    CpuStats s1 = on(1, CpuState::stats);
    assertTrue(s0.halfFullDrains() + s1.halfFullDrains() > 0, s0 + " " + s1);
    assertTrue(s0.fifoFull() + s1.fifoFull() > 0, s0 + " " + s1);
    assertEquals(0, s0.backlog() + s1.backlog());
  }

  @Test
  void statsAnswerForEveryCpu() {
    List<CpuStats> stats = CPUS.stats().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    assertEquals(2, stats.size());
    assertEquals(0, stats.get(0).cpu());
    assertNotEquals(stats.get(0).thread(), stats.get(1).thread());
    assertThrows(IndexOutOfBoundsException.class, () -> CPUS.ipi(2, c -> { }));
  }
}

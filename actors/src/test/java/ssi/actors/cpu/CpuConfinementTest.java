package ssi.actors.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.testing.LogCapture;

/**
 * Invariant 7 (DESIGN §12): per-CPU state is touched only on its CPU's thread. Every access to a
 * {@link CpuState} checks the calling thread; these tests try to touch one from elsewhere (a test
 * thread, another CPU) and see it refused, and hammer the CPUs from many threads to see every op
 * run on its target's thread.
 */
@ExtendWith(LogCapture.class)
class CpuConfinementTest {

  private static final ActorTestKit KIT = ActorTestKit.create("CpuConfinementTest",
      ConfigFactory.parseString("ssi.cpus = 2\nssi.ipi.fifo-size = 16")
          .withFallback(ConfigFactory.load()));
  private static final Cpus CPUS = Cpus.get(KIT.system());
  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private static CpuState leak(int cpu) {
    CompletableFuture<CpuState> f = new CompletableFuture<>();
    CPUS.ipi(cpu, f::complete);
    return f.orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void cpuStateRefusesAnyOtherThread() {
    CpuState cpu0 = leak(0);
    // From the test's thread: every kind of access is refused.
    assertThrows(IllegalStateException.class, () -> cpu0.local("k", AtomicLong::new));
    assertThrows(IllegalStateException.class, () -> cpu0.bindThread("intruder"));
    assertThrows(IllegalStateException.class, cpu0::threads);
    assertThrows(IllegalStateException.class, cpu0::stats);
    assertThrows(IllegalStateException.class, () -> cpu0.add(CpuState.Counter.OPS_RUN, 1));

    // From CPU 1's thread: another CPU is not the owner either.
    CompletableFuture<Throwable> fromCpu1 = new CompletableFuture<>();
    CPUS.ipi(1, c -> {
      try {
        cpu0.local("k", AtomicLong::new);
        fromCpu1.complete(null);
      } catch (Throwable t) {
        fromCpu1.complete(t);
      }
    });
    Throwable refused = fromCpu1.orTimeout(10, TimeUnit.SECONDS).join();
    assertTrue(refused instanceof IllegalStateException, "cpu 1 touching cpu 0: " + refused);

    // And from a thread with a CPU-like name that is not the CPU's dispatcher's.
    Thread impostor = new Thread(() -> cpu0.local("k", AtomicLong::new), "ssi-cpu-0-impostor");
    CompletableFuture<Throwable> fromImpostor = new CompletableFuture<>();
    impostor.setUncaughtExceptionHandler((t, e) -> fromImpostor.complete(e));
    impostor.start();
    assertTrue(fromImpostor.orTimeout(10, TimeUnit.SECONDS).join() instanceof IllegalStateException);

    // The owner itself is let in.
    assertEquals(0L, (long) on(0, c -> c.local("k", AtomicLong::new).get()));
  }

  @Test
  void everyIpiRunsOnItsTargetsThreadUnderLoad() throws Exception {
    int senders = 4;
    int perSender = 2_000;
    ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
    AtomicLong ran = new AtomicLong();
    String[] names = {on(0, c -> Thread.currentThread().getName()),
        on(1, c -> Thread.currentThread().getName())};
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < perSender; i++) {
          int target = i % 2;
          // From a plain thread to a CPU, and from that CPU on to the other one.
          CPUS.ipi(target, c -> {
            check(c, names, wrongThread);
            c.local(Key.RAN, AtomicLong::new).incrementAndGet();
            ran.incrementAndGet();
            CPUS.ipi(1 - c.id(), o -> {
              check(o, names, wrongThread);
              o.local(Key.RAN, AtomicLong::new).incrementAndGet();
              ran.incrementAndGet();
            });
          });
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(WAIT.toMillis());
    }
    TestProbe<Object> probe = KIT.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(2L * senders * perSender, ran.get());
      return null;
    });
    assertTrue(wrongThread.isEmpty(), wrongThread.size() + " ops ran off their CPU's thread, e.g. "
        + wrongThread.stream().limit(3).toList());
    long perCpu0 = on(0, c -> c.local(Key.RAN, AtomicLong::new).get());
    long perCpu1 = on(1, c -> c.local(Key.RAN, AtomicLong::new).get());
    assertEquals(2L * senders * perSender, perCpu0 + perCpu1);
  }

  private enum Key { RAN }

  private static void check(CpuState c, String[] names, ConcurrentLinkedQueue<String> wrong) {
    String t = Thread.currentThread().getName();
    if (!t.equals(names[c.id()])) {
      wrong.add("cpu " + c.id() + " op on " + t);
    }
  }

  private static <T> T on(int cpu, java.util.function.Function<CpuState, T> op) {
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
}

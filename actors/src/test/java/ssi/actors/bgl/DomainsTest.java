package ssi.actors.bgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/** BGL domains: covered work is serialised in the BGL, removed work runs per CPU, stats add up. */
@ExtendWith(LogCapture.class)
class DomainsTest {

  private static final ActorTestKit KIT = ActorTestKit.create("DomainsTest",
      ConfigFactory.parseString("ssi.cpus = 2").withFallback(ConfigFactory.load()));
  private static final Domains DOMAINS = Domains.get(KIT.system());

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private static <T> Reply<T> join(java.util.concurrent.CompletionStage<Reply<T>> stage) {
    return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void defaultRegistryCoversNamespaceAndProcAndRemovesNet() {
    Map<String, SubsystemStats> stats = DOMAINS.stats().stream()
        .collect(Collectors.toMap(SubsystemStats::name, Function.identity()));
    assertEquals(Set.of("namespace", "proc", "net"), stats.keySet());
    assertTrue(stats.get("namespace").covered());
    assertTrue(stats.get("proc").covered());
    assertFalse(stats.get("net").covered());
    assertEquals(List.of("net-0", "net-1"), stats.get("net").domains());
    assertEquals(List.of("bgl"), stats.get("proc").domains());
  }

  @Test
  void coveredWorkRunsOneAtATimeRemovedWorkOnEachCpu() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlap = new AtomicInteger();
    List<CompletableFuture<Reply<Integer>>> covered = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int key = i;
      String sub = i % 2 == 0 ? "namespace" : "proc";
      covered.add(DOMAINS.<Integer>call(sub, key, () -> {
        if (inside.incrementAndGet() > 1) {
          overlap.incrementAndGet();
        }
        inside.decrementAndGet();
        return key;
      }).toCompletableFuture());
    }
    for (int i = 0; i < covered.size(); i++) {
      assertEquals(Reply.ok(i), covered.get(i).orTimeout(10, TimeUnit.SECONDS).join());
    }
    assertEquals(0, overlap.get(), "two covered ops ran at once: the BGL did not serialise them");

    Cpus cpus = Cpus.get(KIT.system());
    ConcurrentHashMap<Integer, Set<Integer>> cpusByKey = new ConcurrentHashMap<>();
    for (int key = 0; key < 64; key++) {
      int k = key;
      assertTrue(join(DOMAINS.call("net", k, () -> cpusByKey
          .computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(cpus.currentCpu()))).isOk());
      assertEquals(Set.of(cpus.cpuFor(k)), cpusByKey.get(k), "net work for a key runs on its CPU");
    }
    assertEquals(Set.of(0, 1), cpusByKey.values().stream().flatMap(Set::stream)
        .collect(Collectors.toSet()), "net work spreads over both CPUs");
  }

  @Test
  void errorsComeBackAsErrnoAndStatsCountThem() {
    long before = DOMAINS.stats().stream().filter(s -> s.name().equals("proc")).findFirst()
        .orElseThrow().ops();
    assertEquals(Reply.error(Errno.ENOENT), join(DOMAINS.call("nope", 1, () -> 1)));
    assertEquals(Reply.error(Errno.EIO), join(DOMAINS.<Integer>call("proc", 1, () -> {
      throw new IllegalStateException("bug in op");
    })));
    SubsystemStats proc = DOMAINS.stats().stream().filter(s -> s.name().equals("proc"))
        .findFirst().orElseThrow();
    assertEquals(before + 1, proc.ops());
    assertTrue(proc.failed() >= 1);
    assertTrue(proc.maxHoldMicros() >= proc.avgHoldMicros());
  }

  @Test
  void laterModulesRegisterSubsystemsByName() {
    assertFalse(DOMAINS.register("vm"), "not in ssi.bgl.covered: removed");
    assertEquals(Reply.ok("x"), join(DOMAINS.call("vm", "k", () -> "x")));
    assertFalse(DOMAINS.register("vm"), "idempotent");
  }
}

package ssi.bench.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import ssi.cache.pagecache.PageCache;
import ssi.process.core.FdSpec;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;
import ssi.process.core.SpawnSpec;

/**
 * The heap of idle processes: used heap after full GCs before and after spawning N
 * {@code counter} processes on node a, each with a tty on descriptor 1, once all of them have
 * printed their first line and sleep (for an hour: the longest interval a counter takes). A
 * counter keeps its number in its memory, so each one also holds one page of address space in
 * a's page cache and a directory record on whichever node its object's directory lives — all
 * in this JVM, so all counted: what an idle process costs the cluster, per process.
 */
final class IdleProcesses {

  private static final String INTERVAL_MS = "3600000";
  private static final String COUNT = "1000000000";
  private static final int IN_FLIGHT = 64;
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final long POLL_NANOS = 500_000_000L;
  private static final long SETTLE_NANOS = 1_000_000_000L;

  /** What was measured. */
  record Result(int processes, long heapBefore, long heapAfter, int pagesCachedAdded,
      double spawnSeconds) {
    double kibPerProcess() {
      return (heapAfter - heapBefore) / Heap.KIB / processes;
    }
  }

  private IdleProcesses() {
  }

  static Result measure(MigrationNodes nodes, int n) throws Exception {
    Processes processes = Processes.get(nodes.a());
    int pagesBefore = PageCache.get(nodes.a()).stats().pages();
    long before = Heap.usedAfterFullGc();
    long t0 = System.nanoTime();
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    Semaphore window = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<?>> spawns = new ArrayList<>();
    SpawnSpec spec = new SpawnSpec("counter", List.of(COUNT, INTERVAL_MS), Map.of(),
        MigrationNodes.A, Map.of(1, FdSpec.tty()));
    for (int i = 0; i < n; i++) {
      window.acquire();
      spawns.add(processes.spawn(List.of(spec)).toCompletableFuture().whenComplete((o, e) -> {
        window.release();
        if (o != null && o.isOk()) {
          pids.addAll(o.value());
        }
      }));
    }
    CompletableFuture.allOf(spawns.toArray(new CompletableFuture<?>[0]))
        .get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    if (pids.size() != n) {
      throw new IllegalStateException("only " + pids.size() + " of " + n + " counters spawned");
    }
    double spawnedSeconds = (System.nanoTime() - t0) / 1e9;
    awaitSleeping(processes, pids);
    double spawnSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.println(String.format(Locale.ROOT, "  (%d counters spawned in %.1f s, all "
        + "asleep after %.1f s)", n, spawnedSeconds, spawnSeconds));
    LockSupport.parkNanos(SETTLE_NANOS);
    long after = Heap.usedAfterFullGc();
    int pagesAdded = PageCache.get(nodes.a()).stats().pages() - pagesBefore;
    return new Result(n, before, after, pagesAdded, spawnSeconds);
  }

  private static void awaitSleeping(Processes processes, Set<Long> pids) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      List<ProcessInfo> all = ProcessControl.await(processes.list());
      long sleeping = all.stream().filter(i -> pids.contains(i.pid())
          && i.state().equals("sleeping") && i.node().equals(MigrationNodes.A)).count();
      if (sleeping == pids.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + sleeping + " of " + pids.size()
            + " counters sleep after " + TIMEOUT.toSeconds() + " s");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  static void print(Result r) {
    System.out.println(String.format(Locale.ROOT,
        "%d idle counters on a (each with a tty, one page of memory, asleep), spawned and "
            + "asleep in %.1f s: used heap after full GC %.1f MiB before, %.1f MiB after: "
            + "%.1f KiB per process; a's page cache holds %d more pages (%d KiB of them per "
            + "process are page data)", r.processes(), r.spawnSeconds(),
        r.heapBefore() / Heap.MIB, r.heapAfter() / Heap.MIB, r.kibPerProcess(),
        r.pagesCachedAdded(), r.pagesCachedAdded() * TouchProgram.PAGE / 1024 / r.processes()));
  }
}

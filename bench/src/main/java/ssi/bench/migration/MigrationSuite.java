package ssi.bench.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ssi.bench.Goal;
import ssi.bench.QuietLogs;
import ssi.bench.Suite;

/**
 * The {@code migration} suite of DESIGN §13, on two full nodes in this JVM with an embedded
 * PostgreSQL page store ({@link MigrationNodes}):
 *
 * <ul>
 *   <li>{@code core-pause-vs-stop-copy}: median pause of the process core in a piecemeal
 *       migration / median pause of a stop-and-copy of the same kind of process (its whole
 *       address space copied to the target, then its core and its driver moved), see
 *       {@link MigrationRuns};
 *   <li>{@code pages-moved-vs-touched}: pages that arrived at the target after the piecemeal
 *       migrations / distinct pages the processes touched there;
 *   <li>{@code fd-pause-vs-rtt}: median pause of the tty driver's move (in the piecemeal and
 *       the stop-and-copy runs' migrations) / median raw Artery ask round trip between the same
 *       two nodes, in the same direction (target to source);
 *   <li>{@code heap-kib-per-idle-process}: heap growth per idle process, 1,000 counters on one
 *       node ({@link IdleProcesses});
 *   <li>{@code idle-node-heap-mib}: heap of an idle node, the first node of the JVM measured
 *       alone in its one-node cluster (see {@link MigrationNodes}).
 * </ul>
 *
 * <p>Run: {@code bench/run migration} (about 2 minutes) or {@code bench/run migration --quick}.
 */
public final class MigrationSuite implements Suite {

  static final double CORE_TARGET = 0.2;
  static final double PAGES_TARGET = 1.05;
  static final double FD_TARGET = 10;
  static final double KIB_PER_PROCESS_TARGET = 32;
  static final double NODE_MIB_TARGET = 64;
  /** Idle processes spawned for the heap per process: 1,000 (DESIGN §13); 200 with --quick. */
  static final int IDLE_PROCESSES = 1_000;
  static final int IDLE_PROCESSES_QUICK = 200;

  @Override
  public String name() {
    return "migration";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    List<Goal> goals = new ArrayList<>();
    Duration idle = Duration.ofSeconds(quick ? 1 : 5);
    long start = System.nanoTime();
    // INFO lines of the store, the pool and the mesh at start and stop would bury the figures;
    // the nodes' shutdown warnings (connections aborted as the other stops) are expected.
    try (QuietLogs quiet = QuietLogs.at("ERROR");
        MigrationNodes nodes = MigrationNodes.start(idle)) {
      MigrationNodes.StartHeap h = nodes.heap();
      System.out.println(String.format(Locale.ROOT,
          "PostgreSQL and two nodes up in %.1f s: %s", (System.nanoTime() - start) / 1e9,
          nodes.describe()));
      System.out.println(String.format(Locale.ROOT,
          "idle node heap (used heap after full GC): %.1f MiB with no node, %.1f MiB with node "
              + "a alone and idle %d s (%s): %.1f MiB for the node; node b joining adds "
              + "%.1f MiB (Akka's shared structures already loaded)", h.noNode() / Heap.MIB,
          h.nodeA() / Heap.MIB, idle.toSeconds(),
          h.management() ? "with Akka Management" : "without Akka Management", h.nodeMib(),
          h.secondNodeMib()));

      long t = System.nanoTime();
      MigrationRuns runs = new MigrationRuns(nodes,
          quick ? MigrationRuns.Plan.QUICK : MigrationRuns.Plan.FULL);
      runs.run();
      runs.print();
      System.out.println(String.format(Locale.ROOT, "  (migration runs took %.1f s)",
          (System.nanoTime() - t) / 1e9));

      IdleProcesses.Result idleProcesses = IdleProcesses.measure(nodes,
          quick ? IDLE_PROCESSES_QUICK : IDLE_PROCESSES);
      IdleProcesses.print(idleProcesses);

      goals.add(new Goal("core-pause-vs-stop-copy",
          runs.corePauseMs() / runs.stopCopyPauseMs(), "<=", CORE_TARGET));
      goals.add(new Goal("pages-moved-vs-touched", (double) runs.moved() / runs.touched(), "<=",
          PAGES_TARGET));
      goals.add(new Goal("fd-pause-vs-rtt", runs.fdPauseMs() / runs.medianRttMs(), "<=",
          FD_TARGET));
      goals.add(new Goal("heap-kib-per-idle-process", idleProcesses.kibPerProcess(), "<=",
          KIB_PER_PROCESS_TARGET));
      goals.add(new Goal("idle-node-heap-mib", h.nodeMib(), "<=", NODE_MIB_TARGET));
    }
    return goals;
  }
}

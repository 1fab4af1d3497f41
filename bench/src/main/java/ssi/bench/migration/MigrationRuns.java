package ssi.bench.migration;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import ssi.bench.migration.MigrationMessages.ProbeReply;
import ssi.cache.pagecache.PageCache;
import ssi.process.core.ProcessInfo;
import ssi.process.migration.MigrationRecord;

/**
 * The timed part of the suite, on {@link MigrationNodes}: pairs of runs, each pair a piecemeal
 * migration and a stop-and-copy of the same kind of process ({@code bench-touch}: PAGES pages
 * written, then waiting in a tty read), both from node a to node b, with a block of raw Artery
 * asks b → a after each run.
 *
 * <ul>
 *   <li><b>Piecemeal</b>: {@code Processes.migrate}; the record's "core" piece is the pause of
 *       the process (measured by the process: from its pause at a step boundary until the target
 *       adopted it), its "fd 0 (tty)" piece the pause of the tty driver's move (measured by the
 *       process on b: from the quiesce request to the driver's state arriving; the stop-and-copy
 *       runs' migrations move the driver the same way and count too). Then the suite
 *       types the line, the process reads TOUCH pages on b, checks them and exits 0; the pages
 *       that arrived at b meanwhile (grants and data received by b's page cache) are counted.
 *   <li><b>Stop-and-copy</b>: while the process waits in its read (it cannot touch its memory),
 *       the suite copies its whole address space to b — every page read through a's page cache
 *       and sent over Artery in 64 KiB batches, all in flight at once, to an actor on b that
 *       writes them into a fresh object through b's page cache (its directory started before,
 *       untimed) and acknowledges ({@link StopAndCopy}) — and then moves
 *       it with the same migration, whose core and fd pieces a stop-and-copy has to pay as well.
 *       Its pause: copy + core + fd.
 * </ul>
 */
final class MigrationRuns {

  /** How much is measured. */
  record Plan(boolean warmPair, int pairs, int warmAsks, int asksPerBlock, int pages, int touch,
      int small) {
    static final Plan FULL = new Plan(true, 15, 2_000, 1_000, 256, 16, 7);
    static final Plan QUICK = new Plan(false, 3, 300, 300, 256, 16, 1);
  }

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final String TRIGGER = "go\n";

  private final MigrationNodes nodes;
  private final Plan plan;
  private final ProcessControl control;
  private final StopAndCopy copier;
  private final List<Double> pieceCore = new ArrayList<>();
  private final List<Double> pieceFd = new ArrayList<>();
  private final List<Double> pieceTotal = new ArrayList<>();
  private final List<Double> copyCopy = new ArrayList<>();
  private final List<Double> copyCore = new ArrayList<>();
  private final List<Double> copyFd = new ArrayList<>();
  private final List<Double> copyPause = new ArrayList<>();
  private final List<Double> rawTransfer = new ArrayList<>();
  private final List<Double> smallCore = new ArrayList<>();
  private final List<Double> smallFd = new ArrayList<>();
  private final List<Long> rtt = new ArrayList<>();
  private final Map<String, Long> arrived = new TreeMap<>();
  private long moved;
  private long touched;
  private long txn;

  MigrationRuns(MigrationNodes nodes, Plan plan) {
    this.nodes = nodes;
    this.plan = plan;
    this.control = new ProcessControl(nodes.a());
    this.copier = new StopAndCopy(nodes, plan.pages());
  }

  /** Runs the pairs, with the ask blocks between them. */
  void run() throws Exception {
    for (int i = 0; i < plan.warmAsks(); i++) {
      ask();
    }
    // One untimed pair first (not with --quick): the first spawn, migration and copy load
    // classes and start entities that later runs find started.
    if (plan.warmPair()) {
      piecemeal(false);
      stopAndCopy(false);
    }
    for (int i = 0; i < plan.pairs(); i++) {
      long t0 = System.nanoTime();
      piecemeal(true);
      askBlock();
      stopAndCopy(true);
      askBlock();
      int last = pieceCore.size() - 1;
      System.out.println(String.format(Locale.ROOT,
          "  pair %d: piecemeal core %.3f ms, fd %.3f ms; stop-and-copy %.3f ms (copy %.3f); "
              + "%.1f s", i + 1, pieceCore.get(last), pieceFd.get(last), copyPause.get(last),
          copyCopy.get(last), (System.nanoTime() - t0) / 1e9));
    }
    for (int i = 0; i < plan.small(); i++) {
      small();
    }
  }

  private void askBlock() throws Exception {
    for (int i = 0; i < plan.asksPerBlock(); i++) {
      rtt.add(ask());
    }
  }

  private long ask() throws Exception {
    long t = ++txn;
    ActorSystem<Void> b = nodes.b();
    long t0 = System.nanoTime();
    ProbeReply r = AskPattern.<MigrationMessages.ProbeAsk, ProbeReply>ask(nodes.responderOnA(),
            to -> new MigrationMessages.ProbeAsk(t, to), ASK_TIMEOUT, b.scheduler())
        .toCompletableFuture().get();
    long ns = System.nanoTime() - t0;
    if (r.txn() != t) {
      throw new IllegalStateException("ask " + t + " answered " + r.txn());
    }
    return ns;
  }

  private void piecemeal(boolean record) throws Exception {
    long pid = control.spawnTouch(MigrationNodes.A, plan.pages(), plan.touch());
    control.awaitState(control.find(pid).ref(), "waiting");
    Map<String, Long> before = PageCache.get(nodes.b()).stats().received();
    long t0 = System.nanoTime();
    MigrationRecord r = control.migrate(pid, MigrationNodes.B);
    double wallMs = (System.nanoTime() - t0) / 1e6;
    control.type(pid, TRIGGER);
    ProcessInfo end = checkExit(pid);
    Map<String, Long> after = PageCache.get(nodes.b()).stats().received();
    if (!record) {
      return;
    }
    pieceCore.add(ProcessControl.pause(r, "core"));
    pieceFd.add(ProcessControl.pause(r, "fd 0"));
    pieceTotal.add(wallMs);
    long pages = delta(before, after, "Grant") + delta(before, after, "Data");
    moved += pages;
    touched += plan.touch();
    for (String type : after.keySet()) {
      arrived.merge(type, delta(before, after, type), Long::sum);
    }
    if (!end.node().equals(MigrationNodes.B)) {
      throw new IllegalStateException("process " + pid + " ended on " + end.node());
    }
  }

  private void stopAndCopy(boolean record) throws Exception {
    long pid = control.spawnTouch(MigrationNodes.A, plan.pages(), plan.touch());
    control.awaitState(control.find(pid).ref(), "waiting");
    long space = copier.addressSpace(pid);
    long target = copier.freshTarget();
    long tr = System.nanoTime();
    copier.copy(space, StopAndCopy.TRANSFER_ONLY);
    double rawMs = (System.nanoTime() - tr) / 1e6;
    long t0 = System.nanoTime();
    copier.copy(space, target);
    double copyMs = (System.nanoTime() - t0) / 1e6;
    MigrationRecord r = control.migrate(pid, MigrationNodes.B);
    control.type(pid, TRIGGER);
    checkExit(pid);
    copier.check(space, target);
    if (!record) {
      return;
    }
    double core = ProcessControl.pause(r, "core");
    double fd = ProcessControl.pause(r, "fd 0");
    copyCopy.add(copyMs);
    rawTransfer.add(rawMs);
    copyCore.add(core);
    copyFd.add(fd);
    copyPause.add(copyMs + core + fd);
  }

  /**
   * A detail: the piecemeal migration of a process with a single page of memory, so that the
   * source's background write-back (one page) hardly competes with the fd driver's move.
   */
  private void small() throws Exception {
    long pid = control.spawnTouch(MigrationNodes.A, 1, 1);
    control.awaitState(control.find(pid).ref(), "waiting");
    MigrationRecord r = control.migrate(pid, MigrationNodes.B);
    control.type(pid, TRIGGER);
    checkExit(pid);
    smallCore.add(ProcessControl.pause(r, "core"));
    smallFd.add(ProcessControl.pause(r, "fd 0"));
  }

  private ProcessInfo checkExit(long pid) throws Exception {
    ProcessInfo end = control.awaitExit(pid, List.of(nodes.b(), nodes.a()));
    if (end.exitStatus() == null || end.exitStatus() != 0) {
      throw new IllegalStateException("process " + pid + " ended with " + end.exitStatus()
          + " (" + end.exitReason() + ")");
    }
    return end;
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String type) {
    return after.getOrDefault(type, 0L) - before.getOrDefault(type, 0L);
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  double medianRttMs() {
    return median(rtt.stream().map(ns -> ns / 1e6).toList());
  }

  double corePauseMs() {
    return median(pieceCore);
  }

  double stopCopyPauseMs() {
    return median(copyPause);
  }

  /**
   * The tty driver's move in every timed migration of the 256-page process: the stop-and-copy
   * runs move it exactly as the piecemeal ones do (the same migration, the same write-back
   * behind it), so both count — twice the samples for the median.
   */
  List<Double> fdPauses() {
    List<Double> all = new ArrayList<>(pieceFd);
    all.addAll(copyFd);
    return all;
  }

  double fdPauseMs() {
    return median(fdPauses());
  }

  long moved() {
    return moved;
  }

  long touched() {
    return touched;
  }

  /** The detail lines. */
  void print() {
    System.out.println(String.format(Locale.ROOT,
        "piecemeal (%d runs, %d pages written, %d touched after): core pause median %.3f ms "
            + "(min %.3f, max %.3f); fd 0 (tty) move pause median %.3f ms (min %.3f, max %.3f); "
            + "whole migrate call median %.1f ms",
        pieceCore.size(), plan.pages(), plan.touch(), median(pieceCore), min(pieceCore),
        max(pieceCore), median(pieceFd), min(pieceFd), max(pieceFd), median(pieceTotal)));
    System.out.println(String.format(Locale.ROOT,
        "stop-and-copy (%d runs, %d KiB copied in %d-page batches): pause median %.3f ms "
            + "(min %.3f, max %.3f) = copy median %.3f + core median %.3f + fd median %.3f",
        copyPause.size(), plan.pages() * TouchProgram.PAGE / 1024, StopAndCopy.BATCH_PAGES,
        median(copyPause), min(copyPause), max(copyPause), median(copyCopy), median(copyCore),
        median(copyFd)));
    double lower = median(rawTransfer) + median(copyCore) + median(copyFd);
    System.out.println(String.format(Locale.ROOT,
        "  detail: the transfer alone (the same batches acknowledged on b without writing "
            + "them) median %.3f ms; a stop-and-copy costing only that + core + fd would pause "
            + "%.3f ms, core pause / that = %.3f", median(rawTransfer), lower,
        median(pieceCore) / lower));
    if (!smallCore.isEmpty()) {
      System.out.println(String.format(Locale.ROOT,
          "  detail: piecemeal migrations of a 1-page process (%d runs, little write-back "
              + "behind them): core pause median %.3f ms, fd 0 (tty) move pause median %.3f ms",
          smallCore.size(), median(smallCore), median(smallFd)));
    }
    System.out.println(String.format(Locale.ROOT,
        "pages that arrived at b after the piecemeal migrations: %d (grants + data) for %d "
            + "distinct pages touched; b's received protocol messages meanwhile: %s",
        moved, touched, arrived));
    List<Double> ms = rtt.stream().map(ns -> ns / 1e6).sorted().toList();
    System.out.println(String.format(Locale.ROOT,
        "fd 0 (tty) move pause over all %d timed migrations of the 256-page process (the "
            + "goal's): median %.3f ms", fdPauses().size(), fdPauseMs()));
    System.out.println(String.format(Locale.ROOT,
        "raw Artery ask b -> a (%d in blocks of %d between the runs, after %d warm-up): "
            + "median %.3f ms, p10 %.3f, p90 %.3f", ms.size(), plan.asksPerBlock(),
        plan.warmAsks(), median(ms), ms.get(ms.size() / 10), ms.get(ms.size() * 9 / 10)));
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}

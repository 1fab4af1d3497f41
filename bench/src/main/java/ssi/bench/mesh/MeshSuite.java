package ssi.bench.mesh;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ssi.actors.lwkt.Reply;
import ssi.bench.Goal;
import ssi.bench.Suite;
import ssi.bench.mesh.MeshMessages.PageAsk;
import ssi.cluster.mesh.LinkStats;

/**
 * The {@code mesh} suite of DESIGN §13, between two nodes in this JVM ({@link MeshNodes}), each
 * ratio measured side by side in one run:
 *
 * <ul>
 *   <li>{@code proxy-vs-artery-rtt}: median round trip through a proxy port / median raw Artery
 *       ask, same probe, same two nodes, in alternating blocks ({@link RoundTrips}; at most 1.2);
 *   <li>{@code bulk-vs-tcp}: bytes/s of a bulk page transfer through the mesh ({@link
 *       BulkTransfer}) / bytes/s of a plain socket stream to a second JVM on loopback ({@link
 *       TcpStream}), in alternating rounds of equal duration (at least 0.5);
 *   <li>{@code rtt-p99-under-bulk}: p99 of the proxy round trip while a bulk transfer runs on the
 *       same mesh link / p99 when idle, in alternating phases ({@link RttUnderBulk}; at most 2).
 * </ul>
 *
 * <p>Run: {@code bench/run mesh} (about 2.5 minutes) or {@code bench/run mesh --quick} (about
 * 40 s). Besides the goals it prints absolute figures and diagnostics: raw Artery asks carrying the
 * same page batches, the mesh with one page per message, and the p99 with the load on another link.
 */
public final class MeshSuite implements Suite {

  static final double RTT_TARGET = 1.2;
  static final double BULK_TARGET = 0.5;
  static final double P99_TARGET = 2;

  /** 16 pages per bulk message, 16 messages unanswered at most: 1 MiB in flight. */
  static final int PAGE_BYTES = 4096;
  static final int BATCH_BYTES = 16 * PAGE_BYTES;
  static final int WINDOW = 16;
  /** The TCP baseline writes in pieces of a batch and is acknowledged every 16 MiB. */
  static final long TCP_ROUND_BYTES = 16L << 20;

  private static final Duration RAW_ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final double MIB = 1024 * 1024;

  /** How much of each measurement a run does. */
  record Plan(int rttWarmup, int rttRounds, int rttPerRound, Duration bulkWarmup, int bulkRounds,
      Duration bulkPerRound, int p99Rounds, int p99PerPhase, boolean diagnostics) {

    /*
     * Many short alternating phases rather than a few long ones: the machine is shared, and
     * background load that comes and goes then falls on both sides of a ratio alike.
     */
    static final Plan FULL = new Plan(10_000, 10, 2_000, Duration.ofSeconds(3), 3,
        Duration.ofSeconds(4), 20, 500, true);
    static final Plan QUICK = new Plan(2_000, 3, 1_000, Duration.ofSeconds(1), 2,
        Duration.ofSeconds(2), 8, 250, false);
  }

  @Override
  public String name() {
    return "mesh";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    Plan plan = quick ? Plan.QUICK : Plan.FULL;
    try (MeshNodes nodes = MeshNodes.start()) {
      System.out.println("two nodes up, " + nodes.cpus() + " CPUs each: "
          + nodes.nodeA().address() + " -> " + nodes.probeProxy().name());
      printLoad("at start");
      long t0 = System.nanoTime();
      double rtt = roundTrips(nodes, plan);
      long t1 = System.nanoTime();
      double bulk = bulkVsTcp(nodes, plan);
      long t2 = System.nanoTime();
      if (plan.diagnostics()) {
        bulkDiagnostics(nodes, plan);
      }
      long t3 = System.nanoTime();
      double p99 = rttUnderBulk(nodes, plan);
      long t4 = System.nanoTime();
      printLinks(nodes);
      printLoad("at end");
      System.out.println(String.format(Locale.ROOT, "phases: round trips %.1f s, bulk %.1f s, "
          + "bulk diagnostics %.1f s, round trips under bulk %.1f s", (t1 - t0) / 1e9,
          (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9));
      return List.of(
          new Goal("proxy-vs-artery-rtt", rtt, "<=", RTT_TARGET),
          new Goal("bulk-vs-tcp", bulk, ">=", BULK_TARGET),
          new Goal("rtt-p99-under-bulk", p99, "<=", P99_TARGET));
    }
  }

  /** Median proxy round trip / median Artery ask, in alternating blocks after a warm-up. */
  private static double roundTrips(MeshNodes nodes, Plan plan) throws InterruptedException {
    RoundTrips rt = new RoundTrips(nodes);
    for (int done = 0; done < plan.rttWarmup(); done += plan.rttPerRound()) {
      rt.proxy(plan.rttPerRound());
      rt.ask(plan.rttPerRound());
    }
    List<long[]> proxy = new ArrayList<>();
    List<long[]> ask = new ArrayList<>();
    for (int r = 0; r < plan.rttRounds(); r++) {
      proxy.add(rt.proxy(plan.rttPerRound()));
      ask.add(rt.ask(plan.rttPerRound()));
    }
    Latencies p = Latencies.of(proxy);
    Latencies a = Latencies.of(ask);
    System.out.println("round trip, proxy port: " + p.summary());
    System.out.println("round trip, Artery ask: " + a.summary());
    double ratio = (double) p.median() / a.median();
    System.out.println(String.format(Locale.ROOT,
        "proxy / ask: median %.3f (the goal), mean %.3f, p99 %.3f", ratio, p.mean() / a.mean(),
        (double) p.percentile(99) / a.percentile(99)));
    return ratio;
  }

  /** Mesh bytes/s / TCP bytes/s over alternating rounds of equal duration, after a warm-up. */
  private static double bulkVsTcp(MeshNodes nodes, Plan plan)
      throws InterruptedException, IOException {
    BulkTransfer mesh = new BulkTransfer(nodes.pageProxy(), BATCH_BYTES, WINDOW);
    long meshBytes = 0;
    long meshNanos = 0;
    long tcpBytes = 0;
    long tcpNanos = 0;
    try (TcpStream tcp = TcpStream.start(BATCH_BYTES)) {
      report("bulk warm-up, mesh", mesh.run(BulkTransfer.forDuration(plan.bulkWarmup())));
      report("bulk warm-up, tcp ",
          tcp.run(TCP_ROUND_BYTES, BulkTransfer.forDuration(plan.bulkWarmup())));
      for (int r = 1; r <= plan.bulkRounds(); r++) {
        BulkTransfer.Result m = mesh.run(BulkTransfer.forDuration(plan.bulkPerRound()));
        report("bulk round " + r + ", mesh", m);
        meshBytes += m.bytes();
        meshNanos += m.nanos();
        TcpStream.Result t = tcp.run(TCP_ROUND_BYTES,
            BulkTransfer.forDuration(plan.bulkPerRound()));
        report("bulk round " + r + ", tcp ", t);
        tcpBytes += t.bytes();
        tcpNanos += t.nanos();
      }
    }
    double meshRate = meshBytes * 1e9 / meshNanos;
    double tcpRate = tcpBytes * 1e9 / tcpNanos;
    System.out.println(String.format(Locale.ROOT,
        "bulk, %d KiB per message, %d in flight: mesh %.1f MiB/s, tcp %.1f MiB/s, ratio %.3f",
        BATCH_BYTES / 1024, WINDOW, meshRate / MIB, tcpRate / MIB, meshRate / tcpRate));
    return meshRate / tcpRate;
  }

  /**
   * What the bulk figure is made of (details only): plain Artery asks carrying the same batches
   * to an actor on B, on the large-message stream and on the ordinary one, with the same window;
   * and the mesh with one page per message.
   */
  private static void bulkDiagnostics(MeshNodes nodes, Plan plan) throws InterruptedException {
    Scheduler scheduler = nodes.nodeA().scheduler();
    for (boolean large : new boolean[] {true, false}) {
      ActorRef<PageAsk> sink = nodes.rawPageSink(large);
      BulkTransfer raw = new BulkTransfer(batch -> AskPattern.<PageAsk, Long>ask(sink,
          replyTo -> new PageAsk(batch, replyTo), RAW_ASK_TIMEOUT, scheduler)
          .thenApply(Reply::ok), BATCH_BYTES, WINDOW);
      report("bulk detail, raw Artery ask, " + (large ? "large-message" : "ordinary")
          + " stream", raw.run(BulkTransfer.forDuration(plan.bulkPerRound())));
    }
    report("bulk detail, mesh, one 4 KiB page per message",
        new BulkTransfer(nodes.pageProxy(), PAGE_BYTES, WINDOW)
            .run(BulkTransfer.forDuration(plan.bulkPerRound())));
  }

  /** Loaded p99 / idle p99 with the load on the probes' own link (the goal). */
  private static double rttUnderBulk(MeshNodes nodes, Plan plan) throws Exception {
    RttUnderBulk m = new RttUnderBulk(nodes, BATCH_BYTES, WINDOW);
    RttUnderBulk.Result same = m.measure(plan.p99Rounds(), plan.p99PerPhase(), true);
    report("same link", same);
    if (plan.diagnostics() && nodes.cpus() > 1) {
      report("other link (detail)", m.measure(plan.p99Rounds(), plan.p99PerPhase(), false));
    }
    return same.p99Ratio();
  }

  private static void report(String what, RttUnderBulk.Result r) {
    System.out.println(String.format(Locale.ROOT,
        "round trip under bulk, %s: probes on link cpu %d, load on link cpu %d", what,
        r.probeCpu(), r.loadCpu()));
    System.out.println("  idle:       " + r.idle().summary());
    System.out.println("  under bulk: " + r.loaded().summary());
    System.out.println(String.format(Locale.ROOT,
        "  bulk load meanwhile %.1f MiB/s; under bulk / idle: p50 %.2f, p99 %.2f",
        r.loadBytesPerSecond() / MIB, (double) r.loaded().median() / r.idle().median(),
        r.p99Ratio()));
  }

  /** Other work on the machine shows in the tails: say how busy it was. */
  private static void printLoad(String when) {
    System.out.println(String.format(Locale.ROOT,
        "system load average %s: %.2f (%d processors)", when,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors()));
  }

  private static void printLinks(MeshNodes nodes) {
    for (LinkStats s : nodes.links()) {
      System.out.println(String.format(Locale.ROOT,
          "link cpu %d -> %s: sent %d, replies %d, retransmits %d, timeouts %d, refused %d, "
              + "control %.1f MiB, bulk %.1f MiB", s.cpu(), s.node(), s.sent(), s.replies(),
          s.retransmits(), s.timeouts(), s.refused(), s.controlBytes() / MIB,
          s.bulkBytes() / MIB));
    }
  }

  private static void report(String what, BulkTransfer.Result r) {
    System.out.println(String.format(Locale.ROOT, "%s: %.1f MiB/s (%d messages in %.2f s)%s",
        what, r.bytesPerSecond() / MIB, r.batches(), r.nanos() / 1e9,
        r.errors().isEmpty() ? "" : "; FAILED replies: " + r.errors()));
  }

  private static void report(String what, TcpStream.Result r) {
    System.out.println(String.format(Locale.ROOT, "%s: %.1f MiB/s (%d rounds in %.2f s)", what,
        r.bytesPerSecond() / MIB, r.rounds(), r.nanos() / 1e9));
  }
}

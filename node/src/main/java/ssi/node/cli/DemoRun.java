package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the demo against a cluster that is up: clears the two logs, spawns the counter and
 * the pipeline, follows the migration stream in a background thread (each piece printed as it
 * arrives) while it migrates the counter node-1 → node-2 → node-3, waits until all three
 * processes exited, then reads both logs back and prints the {@link DemoChecks}.
 */
final class DemoRun {

  /** What the demo runs: the counter's numbers and pace, the pipeline's lines, the timings. */
  record Settings(int count, int intervalMs, int lines, Duration gap, Duration deadline) {
  }

  static final String COUNTER_LOG = "/demo/counter.log";
  static final String PIPE_LOG = "/demo/pipe.log";

  /** How long a freshly started cluster may answer 5xx to a spawn (shards still starting). */
  private static final Duration SPAWN_READY = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STREAM_OPEN = Duration.ofSeconds(5);
  private static final Duration MIGRATE_TIMEOUT = Duration.ofSeconds(60);
  /** How often the wait for the processes prints where they are. */
  private static final Duration PROGRESS = Duration.ofSeconds(10);

  private final ManagementClient client;
  private final String base;
  private final Settings settings;
  private final PrintWriter out;
  private final Map<Long, String> programs = new ConcurrentHashMap<>();
  /** {@code migration|piece} of every piece the stream printed. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  /** Whether the migration stream is open. */
  private volatile boolean streaming;
  /** What the migrate calls answered. */
  private final List<JsonNode> migrations = new ArrayList<>();

  DemoRun(ManagementClient client, String base, Settings settings, PrintWriter out) {
    this.client = client;
    this.base = base;
    this.settings = settings;
    this.out = out;
  }

  /** Runs the demo; 0 when every check passed, 1 otherwise. */
  int run() throws IOException, RequestRefused {
    remove(COUNTER_LOG);
    remove(PIPE_LOG);
    ObjectNode counterSpec = SpawnSpec.single(List.of("counter", COUNTER_LOG,
        Integer.toString(settings.count()), Integer.toString(settings.intervalMs())),
        "node-1", Map.of());
    counterSpec.set("stdout", SpawnSpec.file(COUNTER_LOG, true));
    long counter = spawn(counterSpec).get(0);
    long spawned = System.nanoTime();
    programs.putIfAbsent(counter, "counter");
    out.printf("spawned counter  pid %d on node-1: %d lines to %s, one every %d ms%n", counter,
        settings.count(), COUNTER_LOG, settings.intervalMs());
    ObjectNode cat = SpawnSpec.single(List.of("cat"), "node-3", Map.of());
    cat.set("stdout", SpawnSpec.file(PIPE_LOG, false));
    List<Long> pipeline = spawn(SpawnSpec.pipeline(List.of(SpawnSpec.single(
        List.of("yes", Integer.toString(settings.lines())), "node-2", Map.of()), cat)));
    out.printf("spawned pipeline pid %d `yes %d` on node-2 | pid %d `cat` on node-3 > %s%n",
        pipeline.get(0), settings.lines(), pipeline.get(1), PIPE_LOG);

    List<DemoChecks.Check> checks = new ArrayList<>();
    MigrationStream stream = new MigrationStream(client.http(), () -> base, Duration.ofSeconds(1));
    Thread live = follow(stream);
    try {
      checks.add(migrateCounter(counter));
      List<Long> pids = new ArrayList<>(List.of(counter));
      pids.addAll(pipeline);
      awaitExit(pids, spawned + settings.deadline().toNanos());
      awaitLivePieces();
    } finally {
      stream.stop();
      live.interrupt();
    }
    checks.add(checkLog(COUNTER_LOG, settings.count()));
    checks.add(checkLog(PIPE_LOG, settings.lines()));
    out.println();
    out.println("checks:");
    checks.forEach(c -> out.println("  " + c.line()));
    return checks.stream().allMatch(DemoChecks.Check::passed) ? 0 : ClusterCommand.REFUSED;
  }

  /** Removes a log left by an earlier run; a missing one is fine. */
  private void remove(String path) throws IOException, RequestRefused {
    try {
      client.send("DELETE", filesUrl(path), null, ManagementClient.QUERY_TIMEOUT);
    } catch (RequestRefused e) {
      if (e.status() == 405) { // a files layer without DELETE: empty the file instead
        client.sendBytes("PUT", filesUrl(path), new byte[0]);
      } else if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** Spawns, retrying 5xx answers for a while (a cluster that just formed); the pids. */
  private List<Long> spawn(ObjectNode body) throws IOException, RequestRefused {
    long deadline = System.nanoTime() + SPAWN_READY.toNanos();
    while (true) {
      try {
        JsonNode answer = client.send("POST", base + "/ssi/processes", body,
            ManagementClient.QUERY_TIMEOUT);
        List<Long> pids = new ArrayList<>();
        answer.path("pids").forEach(p -> pids.add(p.asLong()));
        answer.path("processes").forEach(p ->
            programs.put(p.path("pid").asLong(), p.path("program").asText("?")));
        return pids;
      } catch (RequestRefused e) {
        if (e.status() < 500 || System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(POLL.toNanos());
      }
    }
  }

  /** Starts the background thread printing each piece of the stream; waits until it is open. */
  private Thread follow(MigrationStream stream) {
    CountDownLatch open = new CountDownLatch(1);
    Thread live = new Thread(() -> {
      try {
        stream.follow(new MigrationStream.Listener() {
          @Override
          public boolean piece(JsonNode e) {
            String program = e.hasNonNull("program") ? e.get("program").asText()
                : programs.getOrDefault(e.path("pid").asLong(), "?");
            out.println("  live  " + MigrationTimeline.piece(e, program, ZoneId.systemDefault()));
            seen.add(e.path("migration").asText() + "|" + e.path("piece").asText());
            return true;
          }

          @Override
          public void notice(String line) {
            out.println("  live  (" + line + ")");
          }

          @Override
          public void connected(String url) {
            streaming = true;
            open.countDown();
          }
        });
      } catch (RequestRefused e) {
        out.println("  live  (no migration stream: " + e.getMessage() + ")");
      }
      open.countDown();
    }, "ssi-demo-stream");
    live.setDaemon(true);
    live.start();
    try {
      if (open.await(STREAM_OPEN.toMillis(), TimeUnit.MILLISECONDS)) {
        out.println("live migration timeline (" + base + "/ssi/migrations/stream):");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return live;
  }

  /** Migrates the counter to node-2, then node-3, each after the gap; the migrations check. */
  private DemoChecks.Check migrateCounter(long pid) throws IOException {
    String name = "counter migrated node-1 -> node-2 -> node-3 while running";
    List<String> done = new ArrayList<>();
    for (String to : List.of("node-2", "node-3")) {
      LockSupport.parkNanos(settings.gap().toNanos());
      out.println("migrate pid " + pid + " to " + to + " (the counter keeps running) ...");
      JsonNode m;
      try {
        m = client.send("POST", ClusterCommand.processUrl(base, pid) + "/migrate",
            Map.of("to", to), MIGRATE_TIMEOUT);
      } catch (HttpTimeoutException e) {
        return new DemoChecks.Check(name, false, "migrating to " + to + " did not answer within "
            + MIGRATE_TIMEOUT.toSeconds() + " s");
      } catch (RequestRefused e) {
        out.println("migrate pid " + pid + " to " + to + ": refused: " + e.getMessage());
        return new DemoChecks.Check(name, false, "migrating to " + to + " was refused: "
            + e.getMessage());
      }
      migrations.add(m);
      out.println("migrate pid " + pid + " to " + to + " answered:");
      MigrationTimeline.summary(m).forEach(l -> out.println("    " + l));
      if (!"complete".equals(m.path("state").asText())) {
        return new DemoChecks.Check(name, false, "the migration to " + to + " ended "
            + m.path("state").asText("?"));
      }
      done.add(String.format(Locale.ROOT, "%s %.1f ms", m.path("id").asText("?"),
          m.path("totalMs").asDouble()));
    }
    return new DemoChecks.Check(name, true, "both complete (" + String.join(", ", done) + ")");
  }

  /**
   * Waits a little until the stream has shown every piece the migrate calls answered, so the
   * live timeline is complete before the checks print.
   */
  private void awaitLivePieces() {
    List<String> expected = new ArrayList<>();
    for (JsonNode m : migrations) {
      m.path("pieces").forEach(p -> expected.add(m.path("id").asText() + "|"
          + p.path("piece").asText()));
    }
    long deadline = System.nanoTime() + STREAM_OPEN.toNanos();
    while (streaming && !seen.containsAll(expected) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL.toNanos() / 10);
    }
  }

  /** Polls each process until it exited or the deadline; prints each exit as it is seen. */
  private void awaitExit(List<Long> pids, long deadline) throws IOException {
    out.println("waiting for the counter and the pipeline to finish...");
    Map<Long, Boolean> exited = new LinkedHashMap<>();
    pids.forEach(p -> exited.put(p, false));
    long nextProgress = System.nanoTime() + PROGRESS.toNanos();
    while (exited.containsValue(false) && System.nanoTime() < deadline) {
      boolean progress = System.nanoTime() > nextProgress;
      if (progress) {
        nextProgress += PROGRESS.toNanos();
      }
      for (Map.Entry<Long, Boolean> e : exited.entrySet()) {
        if (e.getValue()) {
          continue;
        }
        try {
          JsonNode p = client.get(ClusterCommand.processUrl(base, e.getKey()));
          if (progress && !p.path("state").asText().equals("exited")) {
            out.printf("  %s pid %d %s on %s, %s steps%n", p.path("program").asText("?"),
                e.getKey(), p.path("state").asText("?"), p.path("node").asText("?"),
                p.path("steps").asText("?"));
          }
          if (p.path("state").asText().equals("exited")) {
            e.setValue(true);
            out.printf("%s pid %d exited %s on %s after %s steps and %s migration(s)%n",
                p.path("program").asText("?"), e.getKey(), ProcessTable.exit(p),
                p.path("node").asText("?"), p.path("steps").asText("?"),
                p.path("migrations").asText("?"));
          }
        } catch (RequestRefused r) {
          out.println("pid " + e.getKey() + ": " + r.getMessage());
          e.setValue(true); // gone: the log checks will tell what it left
        }
      }
      if (exited.containsValue(false)) {
        LockSupport.parkNanos(POLL.toNanos());
      }
    }
    exited.forEach((pid, done) -> {
      if (!done) {
        out.println("pid " + pid + " had not exited within " + settings.deadline().toSeconds()
            + " s of its spawn; checking the logs as they are");
      }
    });
  }

  /** Reads a log back and checks it holds 1..{@code expected}; a missing log fails. */
  private DemoChecks.Check checkLog(String path, int expected) throws IOException {
    try {
      String content = new String(client.getBytes(filesUrl(path)), StandardCharsets.UTF_8);
      return DemoChecks.numberedLines(path, content, expected);
    } catch (RequestRefused e) {
      return new DemoChecks.Check(path, false, "cannot read it: " + e.getMessage());
    }
  }

  private String filesUrl(String path) {
    return base + "/ssi/files" + path;
  }
}

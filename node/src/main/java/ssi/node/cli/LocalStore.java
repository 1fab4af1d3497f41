package ssi.node.cli;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded PostgreSQL that {@code ssi up} starts for its nodes: one
 * {@code ssi.cache.store.EmbeddedStoreMain} process in its own session, data in
 * {@code .ssi/pgdata} (kept across {@code down}/{@code up}), log {@code .ssi/logs/store.log},
 * record (pid, port, URL) {@code .ssi/store.properties}.
 *
 * <p>PostgreSQL itself is not a child of that JVM ({@code pg_ctl} detaches it), so stopping by
 * SIGKILL leaves it running: {@link #stop} then stops the server named by the data directory's
 * {@code postmaster.pid} as well, and so does a {@code down} that finds only that server left.
 */
final class LocalStore {

  /** Main class of the store process (in the node jar, from the cache module). */
  static final String MAIN_CLASS = "ssi.cache.store.EmbeddedStoreMain";
  /** Heap of the store JVM: it only supervises the PostgreSQL server. */
  static final String HEAP = "64m";

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int TAIL_LINES = 20;

  /** What {@code ssi up} remembers of the store it started. */
  record StoreRecord(long pid, int port, String url) {

    Optional<ProcessHandle> process() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    boolean alive() {
      return process().isPresent();
    }

    /** Whether the server accepts TCP connections on its port right now. */
    boolean accepting() {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  private final LocalCluster cluster;

  LocalStore(LocalCluster cluster) {
    this.cluster = cluster;
  }

  Path dataDir() {
    return cluster.stateDir().resolve("pgdata");
  }

  Path log() {
    return cluster.logsDir().resolve("store.log");
  }

  private Path recordFile() {
    return cluster.stateDir().resolve("store.properties");
  }

  /**
   * The store URL the user configured, which replaces the embedded store: the environment
   * variable {@code SSI_STORE_URL}, else {@code ssi.store.url} in the project's
   * {@code application.conf}. Empty when neither is set.
   */
  Optional<String> userUrl() {
    String env = System.getenv("SSI_STORE_URL");
    if (env != null && !env.isBlank()) {
      return Optional.of(env);
    }
    Path conf = cluster.home().resolve("application.conf");
    if (!Files.isRegularFile(conf)) {
      return Optional.empty();
    }
    var config = ConfigFactory.parseFile(conf.toFile())
        .withFallback(ConfigFactory.defaultReference()).resolve();
    String url = config.hasPath("ssi.store.url") ? config.getString("ssi.store.url") : "";
    return url.isBlank() ? Optional.empty() : Optional.of(url);
  }

  /** The recorded store, if {@code up} started one and it was not stopped. */
  Optional<StoreRecord> record() throws IOException {
    if (!Files.isRegularFile(recordFile())) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(recordFile())) {
      p.load(in);
    }
    return Optional.of(new StoreRecord(Long.parseLong(p.getProperty("pid")),
        Integer.parseInt(p.getProperty("port")), p.getProperty("url")));
  }

  /** The recorded store if its process still runs. */
  Optional<StoreRecord> running() throws IOException {
    return record().filter(StoreRecord::alive);
  }

  /**
   * Starts the store on {@code port} and waits for its READY line.
   *
   * @throws IOException it could not start within {@code timeout} (the message says why and
   *     holds the end of its log; a process that was started is stopped again)
   */
  StoreRecord start(int port, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(cluster.logsDir());
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // own session: ^C at the terminal does not stop the store
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", cluster.runClasspath(), MAIN_CLASS,
        "--data-dir", dataDir().toString(), "--port", Integer.toString(port)));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log().toFile())
        .start();
    save(new StoreRecord(p.pid(), port, ""));
    String url = awaitReady(p, timeout);
    StoreRecord record = new StoreRecord(p.pid(), port, url);
    save(record);
    return record;
  }

  /**
   * Stops the store: SIGTERM (it stops PostgreSQL cleanly), SIGKILL after {@code grace}, then
   * any PostgreSQL still running on the data directory (SIGTERM, SIGKILL after {@code grace}).
   * Forgets the record. Returns a line saying what happened, or empty if nothing ran.
   */
  Optional<String> stop(Duration grace) throws IOException, InterruptedException {
    Optional<StoreRecord> record = record();
    String what = null;
    if (record.isPresent() && record.get().alive()) {
      boolean clean = terminate(record.get().process().get(), grace);
      what = (clean ? "stopped" : "killed") + " the store (pid " + record.get().pid() + ")"
          + (clean ? "" : ": it did not stop within " + grace.toSeconds() + " s");
    }
    Optional<ProcessHandle> orphan = postmaster();
    if (orphan.isPresent()) {
      boolean clean = terminate(orphan.get(), grace);
      String line = (clean ? "stopped" : "killed") + " PostgreSQL left running on "
          + cluster.home().relativize(dataDir()) + " (pid " + orphan.get().pid() + ")";
      what = what == null ? line : what + "; " + line;
    }
    Files.deleteIfExists(recordFile());
    return Optional.ofNullable(what);
  }

  /** The PostgreSQL server running on the data directory, per its {@code postmaster.pid}. */
  Optional<ProcessHandle> postmaster() {
    Path pidFile = dataDir().resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
    } catch (IOException e) {
      return Optional.empty(); // removed while we read it: the server stopped
    }
    if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
  }

  /** The last lines of the store's log. */
  List<String> logTail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  private String awaitReady(Process p, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String line : Files.readAllLines(log())) {
        if (line.startsWith("READY ")) {
          return line.substring("READY ".length()).strip();
        }
        if (line.startsWith("FAILED")) {
          stopAfterFailure(p);
          throw failure("could not start");
        }
      }
      if (!p.isAlive()) {
        Files.deleteIfExists(recordFile());
        throw failure("exited during start-up (status " + p.exitValue() + ")");
      }
      if (System.nanoTime() - deadline > 0) {
        stopAfterFailure(p);
        throw failure("was not ready within " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private void stopAfterFailure(Process p) throws IOException, InterruptedException {
    terminate(p.toHandle(), Duration.ofSeconds(10));
    stop(Duration.ofSeconds(10));
  }

  private IOException failure(String what) {
    return new IOException("the embedded PostgreSQL store " + what + "; the end of "
        + cluster.home().relativize(log()) + ":\n" + String.join("\n", logTail()));
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL; true if it stopped on SIGTERM. */
  private static boolean terminate(ProcessHandle p, Duration grace) throws InterruptedException {
    var exit = p.onExit();
    p.destroy();
    try {
      exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      p.destroyForcibly();
      p.onExit().join();
      return false;
    }
  }

  private void save(StoreRecord r) throws IOException {
    Files.createDirectories(cluster.stateDir());
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(r.pid()));
    p.setProperty("port", Integer.toString(r.port()));
    p.setProperty("url", r.url());
    try (OutputStream out = Files.newOutputStream(recordFile())) {
      p.store(out, "embedded PostgreSQL started by ssi up");
    }
  }
}

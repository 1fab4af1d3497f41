package ssi.multijvm.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL of one {@link TestCluster}: an {@code EmbeddedStoreMain} JVM started
 * from the test class path on a free port, its data and log beside the nodes' logs. It watches
 * the test JVM ({@code --parent-pid}), so a killed build leaves no PostgreSQL behind.
 *
 * <p>PostgreSQL is not a child of that JVM ({@code pg_ctl} detaches it), so {@link #kill9()}
 * kills the server (named by {@code postmaster.pid}) and its backends too: the database is gone at
 * once, like a crashed machine. {@link #restart()} starts it again on the same port and data.
 */
public final class StoreProcess {

  /** Deadline for the READY line (the first start on a machine unpacks PostgreSQL). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static final String MAIN = "ssi.cache.store.EmbeddedStoreMain";
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final Path log;
  private final int port;
  private Process process;
  private String url;

  StoreProcess(Path dataDir, Path log, int port) {
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  /** A store on a free port with a fresh data directory {@code dir/pgdata}, log {@code dir/store.log}. */
  static StoreProcess fresh(Path dir) throws IOException {
    StoreProcess s = new StoreProcess(dir.resolve("pgdata").toAbsolutePath(),
        dir.resolve("store.log").toAbsolutePath(), freePort());
    s.postmaster().ifPresent(StoreProcess::killTree); // left by a build killed with SIGKILL
    if (Files.exists(s.dataDir)) {
      try (Stream<Path> files = Files.walk(s.dataDir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    return s;
  }

  /** Starts the store JVM and waits for its READY line; then {@link #url()} is the JDBC URL. */
  synchronized void start() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(this + " is still running");
    }
    Files.writeString(log, "=== starting the store on port " + port + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long from = Files.size(log);
    process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), MAIN,
        "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
        "--parent-pid", Long.toString(ProcessHandle.current().pid()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    url = awaitReady(from);
  }

  /** Starts the store again on the same port and data directory (after {@link #kill9()}). */
  public void restart() throws IOException {
    start();
  }

  /** The JDBC URL every node of the cluster is handed. */
  public synchronized String url() {
    return url;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * SIGKILL of the store JVM, of PostgreSQL and of its backends; waits until all are gone. The
   * nodes' connections break at once, as when the database machine dies.
   */
  public synchronized void kill9() {
    Optional<ProcessHandle> server = postmaster();
    if (process != null) {
      killTree(process.toHandle());
    }
    server.ifPresent(StoreProcess::killTree);
  }

  /** SIGTERM (PostgreSQL stops cleanly), then {@link #kill9()} after {@code grace}. */
  synchronized void stop(Duration grace) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.toHandle().destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill9();
      }
    }
    postmaster().ifPresent(StoreProcess::killTree); // only if the JVM could not stop it
  }

  /** The last {@code n} lines of the store's log, for failure reports. */
  public List<String> logTail(int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return "store(pid " + (process == null ? "-" : process.pid()) + ", port " + port + ")";
  }

  private String awaitReady(long from) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      for (String line : linesFrom(from)) {
        if (line.startsWith("READY ")) {
          return line.substring("READY ".length()).strip();
        }
      }
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        String why = process.isAlive() ? "no READY line within " + START_TIMEOUT.toSeconds() + " s"
            : "exited with status " + process.exitValue();
        kill9();
        throw new IOException("the embedded store " + why + "; log tail (" + log + "):\n"
            + String.join("\n", logTail(30)));
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private List<String> linesFrom(long offset) throws IOException {
    try (InputStream in = Files.newInputStream(log)) {
      in.skipNBytes(offset);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The PostgreSQL server running on the data directory, per its {@code postmaster.pid}. */
  private Optional<ProcessHandle> postmaster() {
    try {
      Path pidFile = dataDir.resolve("postmaster.pid");
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** SIGKILL of {@code root} and its descendants (taken first: they are reparented after). */
  private static void killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(0, root);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("pid " + p.pid() + " survived SIGKILL", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

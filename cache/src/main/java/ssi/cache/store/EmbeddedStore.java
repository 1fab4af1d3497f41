package ssi.cache.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL: real PostgreSQL 16 binaries from Maven Central, unpacked and run as a
 * child process on 127.0.0.1. The default page store of a single machine and of tests.
 *
 * <pre>{@code
 * try (EmbeddedStore pg = EmbeddedStore.startTemporary()) {       // free port, temp dir
 *   PageStore store = JdbcPageStore.open(pg.settings(), executor);
 *   ...
 * }
 * EmbeddedStore pg = EmbeddedStore.start(Path.of(".ssi/pgdata"), 5433);  // data kept
 * }</pre>
 *
 * <p>A data directory is initialised on first start and reused afterwards. The server runs with
 * {@code fsync} and {@code synchronous_commit} on (the embedding library turns both off by
 * default), so a commit the page store reports is on disk. A server left running on the data
 * directory by an owner that was killed with SIGKILL is stopped before the new one starts. Only local connections are accepted;
 * they are trusted, as user {@value #USER}, database {@value #DATABASE}. {@link #close()} stops
 * the server ({@code pg_ctl stop -m fast}); so does JVM exit (SIGTERM included).
 */
public final class EmbeddedStore implements AutoCloseable {

  /** The superuser the embedded server trusts. */
  public static final String USER = "postgres";
  /** The database the page store uses. */
  public static final String DATABASE = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedStore(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts PostgreSQL on {@code port} (0 = a free one) with its data in {@code dataDirectory},
   * created and initialised if needed, kept after {@link #close()}. Blocks until the server
   * accepts connections (about a second; longer the first time the binaries are unpacked).
   */
  public static EmbeddedStore start(Path dataDirectory, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    Path dir = dataDirectory.toAbsolutePath();
    Files.createDirectories(dir);
    stopOrphan(dir);
    return new EmbeddedStore(builder(port).setDataDirectory(dir).setCleanDataDirectory(false)
        .start(), dir);
  }

  /** Starts PostgreSQL on a free port with a fresh data directory deleted by {@link #close()}. */
  public static EmbeddedStore startTemporary() throws IOException {
    Path dir = Files.createTempDirectory("ssi-pg");
    return new EmbeddedStore(builder(0).setDataDirectory(dir).setCleanDataDirectory(true).start(),
        dir);
  }

  /**
   * Stops a PostgreSQL left running on {@code dir} by a previous owner that was killed (SIGKILL
   * gives it no chance to stop its server): fast shutdown (SIGINT), then wait for it to exit.
   * Without this a new start would find the data directory in use.
   */
  static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
      return;
    }
    long pid = Long.parseLong(lines.get(0).strip());
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(h -> h.info().command()
        .map(c -> c.endsWith("/postgres")).orElse(false));
    if (orphan.isEmpty()) {
      return; // a stale file: PostgreSQL itself recovers from it
    }
    LOG.warn("Stopping PostgreSQL pid {} left running on {} by a previous owner", pid, dir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start()
          .waitFor(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      orphan.get().onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL pid " + pid, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("PostgreSQL pid " + pid + " on " + dir + " did not stop", e);
    }
  }

  private static EmbeddedPostgres.Builder builder(int port) {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setPGStartupWait(STARTUP_WAIT)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setRegisterShutdownHook(true);
  }

  /** The server's JDBC URL, {@code jdbc:postgresql://127.0.0.1:PORT/postgres}. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
  }

  /** The TCP port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The data directory (absolute). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The default store settings ({@code reference.conf}) pointed at this server. */
  public StoreSettings settings() {
    StoreSettings s = StoreSettings.forUrl(url());
    return new StoreSettings(s.pageSize(), s.url(), USER, "", s.poolSize(), s.connectTimeout(),
        s.socketTimeout(), s.operationTimeout(), s.retryInterval(), s.maxPagesPerRead(),
        s.maxBatch(), s.maxDelay(), s.maxPending());
  }

  /** Stops the server (fast shutdown: connections are cut, committed data is kept). */
  @Override
  public void close() throws IOException {
    postgres.close();
  }
}

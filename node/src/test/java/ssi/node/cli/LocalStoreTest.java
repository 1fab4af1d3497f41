package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store {@code ssi up} starts and {@code ssi down} stops: READY within the deadline, its URL
 * and pid recorded, data kept in {@code .ssi/pgdata} across a stop and a start, nothing left
 * running after a stop (also after the store process was SIGKILLed), and a clear error with the
 * log tail when it cannot start.
 */
class LocalStoreTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(30);

  @TempDir
  Path home;

  private LocalStore store;

  @BeforeEach
  void setUp() {
    store = new LocalStore(new LocalCluster(home));
  }

  @AfterEach
  void nothingLeftRunning() throws Exception {
    store.stop(GRACE);
    assertTrue(store.postmaster().isEmpty(), "PostgreSQL left running");
  }

  @Test
  void startsKeepsItsDataAndStops() throws Exception {
    int port = freePort();
    LocalStore.StoreRecord first = store.start(port, START);
    assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/postgres", first.url());
    assertEquals(first, store.running().orElseThrow());
    assertTrue(first.accepting());
    assertTrue(Files.isRegularFile(home.resolve(".ssi/pgdata/PG_VERSION")));
    sql(first.url(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('across down/up')");

    String stopped = store.stop(GRACE).orElseThrow();
    assertTrue(stopped.startsWith("stopped the store (pid " + first.pid() + ")"), stopped);
    assertFalse(first.alive());
    assertTrue(store.record().isEmpty());
    assertTrue(store.postmaster().isEmpty());
    assertTrue(store.stop(GRACE).isEmpty(), "nothing left to stop");

    LocalStore.StoreRecord second = store.start(port, START);
    assertEquals("across down/up", sql(second.url(), "SELECT v FROM kept"));
    // SIGKILL leaves PostgreSQL itself running (pg_ctl detached it): stop must find it.
    second.process().orElseThrow().destroyForcibly();
    second.process().ifPresent(p -> p.onExit().join());
    assertTrue(store.postmaster().isPresent(), "the orphaned server still runs");
    String cleaned = store.stop(GRACE).orElseThrow();
    assertTrue(cleaned.contains("PostgreSQL left running"), cleaned);
    assertTrue(store.postmaster().isEmpty());
  }

  @Test
  void aStoreThatCannotStartIsAClearErrorWithTheLogTail() throws Exception {
    // A file where the data directory should be: EmbeddedStoreMain prints FAILED and exits.
    Files.createDirectories(store.dataDir().getParent());
    Files.writeString(store.dataDir(), "not a directory");
    IOException e = assertThrows(IOException.class, () -> store.start(freePort(), START));
    assertTrue(e.getMessage().startsWith("the embedded PostgreSQL store "), e.getMessage());
    assertTrue(e.getMessage().contains("FAILED"), "log tail in the message: " + e.getMessage());
    assertTrue(store.running().isEmpty());
    assertTrue(store.record().isEmpty());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs the statements; the first column of the first row of the last query, if any. */
  private static String sql(String url, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement()) {
      String result = null;
      for (String s : statements) {
        if (st.execute(s)) {
          try (ResultSet rs = st.getResultSet()) {
            result = rs.next() ? rs.getString(1) : null;
          }
        }
      }
      return result;
    }
  }
}

package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import ssi.testing.LogCapture;

/**
 * The command {@code bin/ssi up} and the multi-JVM harness run: READY line, data kept across
 * restarts, clean stop on SIGTERM, and a start after the previous owner was SIGKILLed.
 */
@ExtendWith(LogCapture.class)
class EmbeddedStoreMainTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  /** Put after the last line a child printed. */
  private static final String EOF = new String("<end of output>");

  @TempDir
  Path dataDir;

  /** A started EmbeddedStoreMain and the lines it printed. */
  private record Child(Process process, BlockingQueue<String> out, String url) {
  }

  @AfterEach
  void noPostgresLeftBehind() throws IOException {
    EmbeddedStore.stopOrphan(dataDir);
  }

  @Test
  void readyLineDataAcrossRestartsCleanStopAndRecoveryFromSigkill() throws Exception {
    Child first = start();
    sql(first.url(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')");
    stop(first);
    assertFalse(Files.exists(dataDir.resolve("postmaster.pid")), "PostgreSQL stopped cleanly");

    Child second = start();
    assertEquals("across restarts", sql(second.url(), "SELECT v FROM kept"));
    // SIGKILL: PostgreSQL is left running, orphaned.
    assertTrue(second.process().toHandle().destroyForcibly());
    assertTrue(second.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    assertTrue(Files.exists(dataDir.resolve("postmaster.pid")), "the orphan still runs");

    Child third = start();
    assertEquals("across restarts", sql(third.url(), "SELECT v FROM kept"));
    stop(third);
  }

  private Child start() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        EmbeddedStoreMain.class.getName(), "--data-dir", dataDir.toString(), "--port", "0")
        .redirectErrorStream(true).start();
    BlockingQueue<String> out = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          out.add(line);
        }
      } catch (IOException e) {
        out.add("reader failed: " + e);
      }
      out.add(EOF);
    }, "embedded-store-main-out");
    reader.setDaemon(true);
    reader.start();
    String ready = awaitLine(out, "READY ");
    return new Child(p, out, ready.substring("READY ".length()));
  }

  private static void stop(Child child) throws InterruptedException {
    // SIGTERM through the handle: Process.destroy() would also close the output we still read.
    assertTrue(child.process().toHandle().destroy());
    assertTrue(child.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "exited");
    awaitLine(child.out(), "STOPPED");
  }

  private static String awaitLine(BlockingQueue<String> out, String prefix)
      throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    StringBuilder seen = new StringBuilder();
    for (long left = DEADLINE.toNanos(); left > 0; left = end - System.nanoTime()) {
      String line = out.poll(left, TimeUnit.NANOSECONDS);
      if (line == null || line == EOF) {
        break;
      }
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.append(line).append('\n');
    }
    return fail("no line starting with '" + prefix + "' within " + DEADLINE + "; saw:\n" + seen);
  }

  /** Runs the statements; returns the first column of the first row of the last, if any. */
  private static String sql(String url, String statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url, EmbeddedStore.USER, "");
        Statement st = c.createStatement()) {
      String result = null;
      for (String s : statements.split(";")) {
        if (st.execute(s.strip())) {
          try (ResultSet rs = st.getResultSet()) {
            result = rs.next() ? rs.getString(1) : null;
          }
        }
      }
      return result;
    }
  }
}

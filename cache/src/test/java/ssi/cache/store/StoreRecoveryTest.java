package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.store.StoreTestSupport.await;
import static ssi.cache.store.StoreTestSupport.awaitOk;
import static ssi.cache.store.StoreTestSupport.ok;
import static ssi.cache.store.StoreTestSupport.page;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.internal.StoreHealth;
import ssi.testing.LogCapture;

/**
 * The store across database restarts: data kept on the same data directory, EIO (never a hang)
 * while the database is down, and recovery without reopening the page store.
 */
@ExtendWith(LogCapture.class)
class StoreRecoveryTest {

  /** Generous bound on an EIO while the database is down: a few connect timeouts. */
  private static final Duration EIO_BOUND = Duration.ofSeconds(10);

  @TempDir
  static Path dataDir;

  private static EmbeddedStore postgres;
  private static ExecutorService executor;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedStore.start(dataDir, 0);
    executor = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() throws Exception {
    executor.shutdown();
    postgres.close();
  }

  /** Quick to notice an outage and to try again. */
  private static StoreSettings settings() {
    StoreSettings s = postgres.settings();
    return new StoreSettings(s.pageSize(), s.url(), s.user(), s.password(), s.poolSize(),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20),
        Duration.ofMillis(200), s.maxPagesPerRead(), s.maxBatch(), s.maxDelay(), s.maxPending());
  }

  @Test
  void dataSurvivesReopeningOnTheSameDataDirectory() throws Exception {
    long id = 1;
    Page p0 = page(id, 0, 3, 4096);
    Page p9 = page(id, 9, 4, 4096);
    ObjectMeta meta;
    try (JdbcPageStore store = JdbcPageStore.open(settings(), executor)) {
      ok(store.createObject(id, ObjectKind.FILE));
      ok(store.writePages(id, List.of(p0, p9)));
      meta = ok(store.setLength(id, 10L * 4096, Instant.now()));
    }
    postgres.close();
    postgres = EmbeddedStore.start(dataDir, 0);

    try (JdbcPageStore store = JdbcPageStore.open(settings(), executor)) {
      assertEquals(meta, ok(store.getObject(id)));
      assertEquals(List.of(p0, p9), ok(store.readPages(id, 0, 10)));
    }
    try (Connection c = DriverManager.getConnection(postgres.url(), EmbeddedStore.USER, "");
        Statement st = c.createStatement()) {
      assertEquals(String.valueOf(ssi.cache.store.internal.Schema.latestVersion()),
          single(st, "SELECT count(*) FROM ssi_schema_version"),
          "each migration ran once, not again on the second start");
      assertEquals("on", single(st, "SHOW fsync"), "a commit reaches the disk");
      assertEquals("on", single(st, "SHOW synchronous_commit"));
    }
  }

  @Test
  void downGivesEioPromptlyAndTheStoreRecoversByItself() throws Exception {
    ListAppender<ILoggingEvent> healthLog = new ListAppender<>();
    Logger healthLogger = (Logger) LoggerFactory.getLogger(StoreHealth.class);
    healthLog.start();
    healthLogger.addAppender(healthLog);
    int port = postgres.port();
    long id = 2;
    try (JdbcPageStore store = JdbcPageStore.open(settings(), executor)) {
      ok(store.createObject(id, ObjectKind.FILE));
      Page before = page(id, 0, 1, 4096);
      ok(store.writePages(id, List.of(before)));

      postgres.close();
      assertEio(store.writePages(id, List.of(page(id, 0, 2, 4096))));
      for (int i = 0; i < 20; i++) {
        assertEio(store.getObject(id));
        assertEio(store.readPage(id, 0));
        assertEio(store.writePages(id, List.of(page(id, 1, 2, 4096))));
        assertEio(store.flush());
      }
      assertFalse(store.stats().available());
      assertEquals(1, count(healthLog, Level.ERROR, "unreachable"),
          "one line for the outage, not one per failed operation: " + healthLog.list);
      // A store opened while the database is down is usable once it is up.
      JdbcPageStore late = JdbcPageStore.open(settings(), executor);
      assertEio(late.ready());

      postgres = EmbeddedStore.start(dataDir, port);
      Page after = page(id, 0, 3, 4096);
      awaitOk(() -> store.writePages(id, List.of(after)), Duration.ofSeconds(30));
      assertTrue(store.stats().available());
      assertEquals(after, ok(store.readPage(id, 0)));
      assertEquals(1, ok(store.getObject(id)).generation());
      awaitOk(late::ready, Duration.ofSeconds(30));
      assertEquals(after, ok(late.readPage(id, 0)));
      late.close();
    } finally {
      healthLogger.detachAppender(healthLog);
    }
    assertEquals(2, count(healthLog, Level.ERROR, "unreachable"), "one per store: " + healthLog.list);
    assertEquals(2, count(healthLog, Level.INFO, "reachable again"), "and one per recovery");
  }

  private static void assertEio(CompletionStage<? extends Reply<?>> stage) {
    @SuppressWarnings("unchecked")
    Reply<Object> r = await((CompletionStage<Reply<Object>>) stage, EIO_BOUND);
    assertEquals(Errno.EIO, r.errno());
  }

  private static long count(ListAppender<ILoggingEvent> log, Level level, String text) {
    return log.list.stream()
        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text)).count();
  }

  private static String single(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

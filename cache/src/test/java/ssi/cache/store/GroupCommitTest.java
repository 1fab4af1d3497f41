package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.store.StoreTestSupport.await;
import static ssi.cache.store.StoreTestSupport.ok;
import static ssi.cache.store.StoreTestSupport.page;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/**
 * Group commit: concurrent writes share transactions, and no write is acknowledged before the
 * transaction that carries it has committed.
 */
@ExtendWith(LogCapture.class)
class GroupCommitTest {

  private static final int WRITES = 300;

  private static EmbeddedStore postgres;
  private static ExecutorService executor;
  /** A connection of the test's own, outside the store, to see what is committed. */
  private static Connection observer;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedStore.startTemporary();
    executor = Executors.newFixedThreadPool(4);
    observer = DriverManager.getConnection(postgres.url(), EmbeddedStore.USER, "");
  }

  @AfterAll
  static void stop() throws Exception {
    observer.close();
    executor.shutdown();
    postgres.close();
  }

  @Test
  void concurrentWritesShareTransactionsAndCompleteOnlyAfterTheirCommit() throws Exception {
    try (JdbcPageStore store = JdbcPageStore.open(postgres.settings(), executor)) {
      int ps = store.pageSize();
      long id = 1;
      ok(store.createObject(id, ObjectKind.FILE));
      StoreStats before = store.stats();

      // Every write is checked the moment its stage completes, through the observer connection:
      // the page with that serial must already be visible there, i.e. committed.
      ConcurrentLinkedQueue<String> uncommitted = new ConcurrentLinkedQueue<>();
      List<CompletionStage<Reply<Void>>> stages = new ArrayList<>();
      for (int serial = 1; serial <= WRITES; serial++) {
        long number = serial;
        long s = serial;
        stages.add(store.writePages(id, List.of(page(id, number, s, ps))).thenApply(r -> {
          if (r.isOk() && committedSerial(id, number) != s) {
            uncommitted.add("page " + number + " acknowledged before its commit");
          }
          return r;
        }));
      }
      for (CompletionStage<Reply<Void>> stage : stages) {
        assertEquals(Errno.OK, await(stage).errno());
      }

      assertTrue(uncommitted.isEmpty(), String.join("\n", uncommitted));
      StoreStats after = store.stats();
      long commits = after.commits() - before.commits();
      assertEquals(WRITES, after.committedMutations() - before.committedMutations());
      assertTrue(commits < WRITES / 2,
          WRITES + " concurrent writes took " + commits + " transactions; expected batching");
      assertEquals(page(id, 7, 7, ps), ok(store.readPage(id, 7)));
    }
  }

  @Test
  void aBatchNeverExceedsMaxBatch() {
    StoreSettings settings = postgres.settings().withGroupCommit(4, Duration.ZERO);
    try (JdbcPageStore store = JdbcPageStore.open(settings, executor)) {
      int ps = store.pageSize();
      long id = 2;
      ok(store.createObject(id, ObjectKind.FILE));
      long before = store.stats().commits();
      List<CompletionStage<Reply<Void>>> stages = new ArrayList<>();
      for (int serial = 1; serial <= 40; serial++) {
        stages.add(store.writePages(id, List.of(page(id, serial, serial, ps))));
      }
      stages.forEach(s -> assertEquals(Errno.OK, await(s).errno()));
      assertTrue(store.stats().commits() - before >= 10, "40 writes, at most 4 per transaction");
    }
  }

  @Test
  void maxDelayGathersSequentialCallersIntoOneTransaction() {
    // With a delay, even writes that trickle in (one per caller, not all at once) are batched.
    StoreSettings settings = postgres.settings().withGroupCommit(256, Duration.ofMillis(300));
    try (JdbcPageStore store = JdbcPageStore.open(settings, executor)) {
      int ps = store.pageSize();
      long id = 3;
      ok(store.createObject(id, ObjectKind.FILE));
      long before = store.stats().commits();
      List<CompletionStage<Reply<Void>>> stages = new ArrayList<>();
      for (int serial = 1; serial <= 10; serial++) {
        stages.add(store.writePages(id, List.of(page(id, serial, serial, ps))));
      }
      stages.add(store.flush());
      stages.forEach(s -> assertEquals(Errno.OK, await(s).errno()));
      assertTrue(store.stats().commits() - before <= 2,
          "11 mutations within the delay: one transaction (two if the first was alone)");
    }
  }

  private static long committedSerial(long id, long number) {
    synchronized (observer) {
      try (PreparedStatement ps = observer.prepareStatement(
          "SELECT serial FROM ssi_pages WHERE object_id = ? AND page_no = ?")) {
        ps.setLong(1, id);
        ps.setLong(2, number);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : -1;
        }
      } catch (SQLException e) {
        return -2;
      }
    }
  }
}

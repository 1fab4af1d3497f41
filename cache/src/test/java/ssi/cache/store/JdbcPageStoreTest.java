package ssi.cache.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.store.StoreTestSupport.assertErrno;
import static ssi.cache.store.StoreTestSupport.ok;
import static ssi.cache.store.StoreTestSupport.page;
import static ssi.cache.store.StoreTestSupport.zeros;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.testing.LogCapture;

/** Round trips of objects and pages through a real (embedded) PostgreSQL, and bad input. */
@ExtendWith(LogCapture.class)
class JdbcPageStoreTest {

  private static final AtomicLong IDS = new AtomicLong(1000);

  private static EmbeddedStore postgres;
  private static ExecutorService executor;
  private static JdbcPageStore store;
  private static int ps;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedStore.startTemporary();
    StoreSettings settings = postgres.settings();
    executor = Executors.newFixedThreadPool(settings.poolSize());
    store = JdbcPageStore.open(settings, executor);
    ps = store.pageSize();
    ok(store.ready());
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    executor.shutdown();
    postgres.close();
  }

  @Test
  void pagesAndAttributesRoundTrip() {
    long id = IDS.incrementAndGet();
    ObjectMeta created = ok(store.createObject(id, ObjectKind.FILE));
    assertEquals(new ObjectMeta(id, 1, 0, created.mtime(), ObjectKind.FILE), created);
    assertEquals(created, ok(store.getObject(id)));

    Page p0 = page(id, 0, 1, ps);
    Page p2 = page(id, 2, 5, ps);
    ok(store.writePages(id, List.of(p0, p2)));
    assertEquals(p0, ok(store.readPage(id, 0)));
    assertEquals(p2, ok(store.readPage(id, 2)));
    Page hole = ok(store.readPage(id, 1));
    assertEquals(0, hole.serial());
    assertTrue(zeros(hole.data(), 0, ps), "a hole reads as zeros");
    assertEquals(List.of(p0, p2), ok(store.readPages(id, 0, 10)), "holes left out, in order");
    assertEquals(List.of(p2), ok(store.readPages(id, 1, 2)));
    assertEquals(List.of(), ok(store.readPages(id, 3, 0)));

    Page p0v2 = page(id, 0, 2, ps);
    ok(store.writePages(id, List.of(p0v2)));
    assertEquals(p0v2, ok(store.readPage(id, 0)), "a write replaces the page and its serial");

    Instant mtime = Instant.parse("2024-05-06T07:08:09.123456789Z");
    ObjectMeta grown = ok(store.setLength(id, 3L * ps, mtime));
    assertEquals(3L * ps, grown.length());
    assertEquals(mtime.truncatedTo(ChronoUnit.MICROS), grown.mtime());
    assertEquals(grown, ok(store.getObject(id)));
    assertEquals(p2, ok(store.readPage(id, 2)), "growing keeps the pages");
  }

  @Test
  void extendingNeverShortensAndRefusesBadInput() {
    long id = IDS.incrementAndGet();
    ok(store.createObject(id, ObjectKind.FILE));
    assertEquals(300, ok(store.extendLength(id, 300, Instant.now())).length());
    Instant later = Instant.parse("2025-01-02T03:04:05.678901Z");
    ObjectMeta kept = ok(store.extendLength(id, 200, later));
    assertEquals(300, kept.length(), "a shorter extension keeps the longer length");
    assertEquals(later, kept.mtime(), "but sets the mtime");
    assertEquals(kept, ok(store.getObject(id)));
    assertErrno(Errno.EINVAL, store.extendLength(id, -1, Instant.now()));
    assertErrno(Errno.ENOENT, store.extendLength(Long.MAX_VALUE - 7, 1, Instant.now()));
  }

  @Test
  void shrinkingDropsPagesPastTheEndAndZeroesTheTail() {
    long id = IDS.incrementAndGet();
    ok(store.createObject(id, ObjectKind.MEMORY));
    Page p0 = page(id, 0, 1, ps);
    Page p1 = page(id, 1, 1, ps);
    ok(store.writePages(id, List.of(p0, p1, page(id, 2, 1, ps))));
    ok(store.setLength(id, 3L * ps, Instant.now()));

    ok(store.setLength(id, ps + 100, Instant.now()));
    assertEquals(ps + 100, ok(store.getObject(id)).length());
    assertEquals(p0, ok(store.readPage(id, 0)));
    Page cut = ok(store.readPage(id, 1));
    assertEquals(2, cut.serial(), "the cut page's serial moves on");
    assertArrayEquals(java.util.Arrays.copyOf(p1.data(), 100),
        java.util.Arrays.copyOf(cut.data(), 100));
    assertTrue(zeros(cut.data(), 100, ps), "past the new end the page reads zeros");
    assertEquals(0, ok(store.readPage(id, 2)).serial(), "the page past the end is gone");
    assertEquals(List.of(p0, cut), ok(store.readPages(id, 0, 10)));
  }

  @Test
  void createDeleteAndGenerations() {
    long id = IDS.incrementAndGet();
    assertEquals(1, ok(store.createObject(id, ObjectKind.FILE)).generation());
    assertErrno(Errno.EEXIST, store.createObject(id, ObjectKind.FILE));
    ok(store.writePages(id, List.of(page(id, 0, 1, ps))));

    ok(store.deleteObject(id));
    assertErrno(Errno.ENOENT, store.getObject(id));
    assertErrno(Errno.ENOENT, store.readPage(id, 0));
    assertErrno(Errno.ENOENT, store.deleteObject(id));

    ObjectMeta again = ok(store.createObject(id, ObjectKind.DIRECTORY));
    assertEquals(2, again.generation(), "a re-created id is a new generation");
    assertEquals(ObjectKind.DIRECTORY, again.kind());
    assertEquals(0, ok(store.readPage(id, 0)).serial(), "the old object's pages are gone");
  }

  @Test
  void mutationsApplyInCallOrderAndFlushFollowsThem() {
    long id = IDS.incrementAndGet();
    // Nothing waits between these calls: the committer must keep their order.
    store.createObject(id, ObjectKind.FILE);
    List<Page> last = new ArrayList<>();
    for (int serial = 1; serial <= 20; serial++) {
      Page p = page(id, serial % 3, serial, ps);
      store.writePages(id, List.of(p));
      if (serial > 17) {
        last.add(p);
      }
    }
    store.setLength(id, 3L * ps, Instant.now());
    ok(store.flush());
    for (Page p : last) {
      assertEquals(p, ok(store.readPage(id, p.number())), "the last write of each page wins");
    }
    assertEquals(3L * ps, ok(store.getObject(id)).length());
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    long id = IDS.incrementAndGet();
    ok(store.createObject(id, ObjectKind.FILE));
    Page good = page(id, 0, 1, ps);
    ok(store.writePages(id, List.of(good)));
    ObjectMeta before = ok(store.getObject(id));
    long commits = store.stats().commits();

    assertErrno(Errno.EINVAL, store.readPage(id, -1));
    assertErrno(Errno.EINVAL, store.readPages(id, -1, 1));
    assertErrno(Errno.EINVAL, store.readPages(id, 0, -1));
    assertErrno(Errno.EINVAL, store.readPages(id, 0, postgres.settings().maxPagesPerRead() + 1));
    assertErrno(Errno.EINVAL, store.writePages(id, List.of(page(id, 1, 9, ps), new Page(-1, 9,
        new byte[ps]))));
    assertErrno(Errno.EINVAL, store.writePages(id, List.of(page(id, 0, 9, ps), new Page(1, 9,
        new byte[ps - 1]))));
    assertErrno(Errno.EINVAL, store.writePages(id, List.of(new Page(0, 9, new byte[ps + 1]))));
    assertErrno(Errno.EINVAL, store.writePages(id, List.of(new Page(0, -1, new byte[ps]))));
    assertErrno(Errno.EINVAL, store.writePages(id, List.of(
        new Page(Long.MAX_VALUE / ps + 1, 9, new byte[ps]))));
    assertErrno(Errno.EINVAL, store.setLength(id, -1, Instant.now()));
    assertErrno(Errno.EINVAL, store.createObject(id + 1_000_000, null));
    assertEquals(commits, store.stats().commits(), "refused input never reaches the database");

    long unknown = IDS.incrementAndGet();
    assertErrno(Errno.ENOENT, store.getObject(unknown));
    assertErrno(Errno.ENOENT, store.readPage(unknown, 0));
    assertErrno(Errno.ENOENT, store.readPages(unknown, 0, 4));
    assertErrno(Errno.ENOENT, store.writePages(unknown, List.of(page(unknown, 0, 1, ps))));
    assertErrno(Errno.ENOENT, store.setLength(unknown, 10, Instant.now()));
    assertErrno(Errno.ENOENT, store.deleteObject(unknown));
    assertErrno(Errno.ENOENT, store.getObject(unknown));

    assertEquals(good, ok(store.readPage(id, 0)), "the page is unchanged");
    assertEquals(0, ok(store.readPage(id, 1)).serial(), "no page of a refused call was written");
    assertEquals(before, ok(store.getObject(id)), "the attributes are unchanged");
  }
}

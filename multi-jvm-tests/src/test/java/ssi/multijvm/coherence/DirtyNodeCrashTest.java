package ssi.multijvm.coherence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.multijvm.coherence.CacheHttp.PAGE;
import static ssi.multijvm.coherence.CacheHttp.owner;
import static ssi.multijvm.coherence.CacheHttp.pageOf;
import static ssi.multijvm.coherence.CacheHttp.record;
import static ssi.multijvm.coherence.CacheHttp.sharers;
import static ssi.multijvm.coherence.CacheHttp.tagOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * {@code kill -9} of a node holding M pages (DESIGN §7 crash semantics, §12 invariant 5): what it
 * had fsynced survives; what it wrote since lived only in its memory (the write-back timer is
 * set to an hour, and the directory's stored serial shows nothing newer reached the store) and
 * may be lost, but a reader then sees one whole version of each page — never a mix, never a
 * hang — and the survivors' directories drop every grant of the dead node and keep serving.
 */
@ExtendWith(MultiJvm.class)
class DirtyNodeCrashTest {

  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final List<Long> PAGES = List.of(0L, 1L);

  private final CacheHttp http = new CacheHttp();

  /** The object's directory lives on a survivor: it revokes the dead node's grants. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void fsyncedDataSurvivesWhenTheDirectoryIsElsewhere(TestCluster cluster) throws Exception {
    cluster.withProperty("ssi.cache.write-back-interval", "1h").start(3);
    String dead = cluster.node(3).address();
    long obj = http.objectWithDirectory(cluster.node(1), 4300, host -> !host.equals(dead));
    crashTheDirtyWriter(cluster, obj);
  }

  /**
   * The object's directory dies with the writer: it restarts on a survivor, which finds the
   * holder unknown, asks the live nodes and serves the store's last version.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void fsyncedDataSurvivesWhenTheDirectoryDiesWithTheWriter(TestCluster cluster)
      throws Exception {
    cluster.withProperty("ssi.cache.write-back-interval", "1h").start(3);
    String dead = cluster.node(3).address();
    long obj = http.objectWithDirectory(cluster.node(1), 4400, host -> host.equals(dead));
    crashTheDirtyWriter(cluster, obj);
  }

  private void crashTheDirtyWriter(TestCluster cluster, long obj) throws Exception {
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    NodeProcess n3 = cluster.node(3);

    for (long p : PAGES) {
      http.write(n3, obj, p * PAGE, pageOf("synced-p" + p));
    }
    CacheHttp.Raw synced = http.fsync(n3, obj);
    assertEquals(200, synced.status(), synced.toString());
    JsonNode afterSync = http.coherence(n1, obj);
    long[] syncedSerial = new long[PAGES.size()];
    for (long p : PAGES) {
      syncedSerial[(int) p] = record(afterSync, p).path("serial").asLong();
      assertTrue(syncedSerial[(int) p] > 0, "fsync stored page " + p + ": " + afterSync);
      assertEquals(n3.address(), owner(record(afterSync, p)), afterSync.toString());
    }

    for (long p : PAGES) {
      http.write(n3, obj, p * PAGE, pageOf("unsynced-p" + p));
    }
    JsonNode beforeKill = http.coherence(n1, obj);
    for (long p : PAGES) {
      JsonNode r = record(beforeKill, p);
      assertEquals(n3.address(), owner(r), beforeKill.toString());
      assertEquals(syncedSerial[(int) p], r.path("serial").asLong(),
          "the unsynced write must live only in node 3's memory: " + beforeKill);
    }

    n3.kill9();
    List<NodeProcess> survivors = List.of(n1, n2);
    cluster.awaitAllUp(survivors);

    // Each page reads as one whole version — the fsynced one (or the lost later one), no mix —
    // and both survivors agree. Reads may fail while the directory learns of the death; they
    // must succeed before the deadline (no hang).
    for (long p : PAGES) {
      byte[][] seen = new byte[2][];
      for (int i = 0; i < survivors.size(); i++) {
        NodeProcess reader = survivors.get(i);
        int at = i;
        Await.until(SETTLE, reader.name() + " reads page " + p + " after the crash",
            () -> seen[at] = http.read(reader, obj, p * PAGE, PAGE));
        String tag = tagOf(seen[at]);
        assertTrue(("synced-p" + p).equals(tag) || ("unsynced-p" + p).equals(tag),
            reader.name() + " read neither version of page " + p + " whole: "
                + new String(Arrays.copyOf(seen[at], 64), java.nio.charset.StandardCharsets.US_ASCII));
      }
      assertArrayEquals(seen[0], seen[1], "the survivors disagree on page " + p);
      System.out.println("page " + p + " after the crash: " + tagOf(seen[0]));
    }

    Await.until(SETTLE, "no record names the dead node", () -> {
      JsonNode view = http.coherence(n2, obj);
      for (long p : PAGES) {
        JsonNode r = record(view, p);
        assertFalse(n3.address().equals(owner(r)) || sharers(r).contains(n3.address()),
            view.toString());
      }
    });

    // The survivors keep working: writes through either are read through the other.
    http.write(n1, obj, 0, pageOf("after-crash-n1"));
    assertEquals("after-crash-n1", tagOf(http.read(n2, obj, 0, PAGE)));
    http.write(n2, obj, PAGE, pageOf("after-crash-n2"));
    assertEquals("after-crash-n2", tagOf(http.read(n1, obj, PAGE, PAGE)));
    http.write(n2, obj, PAGE - 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
        http.read(n1, obj, PAGE - 8, 16));
    for (NodeProcess n : survivors) {
      CacheHttp.Raw r = http.fsync(n, obj);
      assertEquals(200, r.status(), r.toString());
    }
    JsonNode end = http.coherence(n1, obj);
    assertEquals("ready", end.path("state").asText(), end.toString());
    assertFalse(end.path("directoryHost").asText().equals(n3.address()), end.toString());
  }
}

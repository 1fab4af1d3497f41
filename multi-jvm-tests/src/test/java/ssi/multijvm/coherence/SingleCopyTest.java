package ssi.multijvm.coherence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.multijvm.coherence.CacheHttp.PAGE;
import static ssi.multijvm.coherence.CacheHttp.owner;
import static ssi.multijvm.coherence.CacheHttp.record;
import static ssi.multijvm.coherence.CacheHttp.sharers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Single-copy semantics across JVMs (DESIGN §12, invariants 2 and 3): bytes written through one
 * node are read back identically through the others — at several offsets, across a page
 * boundary, with untouched bytes still zero — and a later write through another node replaces
 * them everywhere. The directory's records follow: the writer owns the pages (E/M, no sharers),
 * readers turn them shared, and the next writer owns them again under a newer epoch.
 */
@ExtendWith(MultiJvm.class)
class SingleCopyTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final long OBJ = 4101;
  /** Pages 0..3 of the object: the image the test keeps of what the object must hold. */
  private static final int SPAN = 4 * PAGE;

  private final CacheHttp http = new CacheHttp();
  private final byte[] expected = new byte[SPAN];

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void writesThroughOneNodeAreReadIdenticallyThroughTheOthers(TestCluster cluster)
      throws Exception {
    cluster.start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    NodeProcess n3 = cluster.node(3);

    // Through node 1: a head, a range inside page 3, and one spanning pages 1 and 2.
    write(n1, 0, bytes(100));
    write(n1, 3L * PAGE + 10, bytes(200));
    write(n1, 2L * PAGE - 64, bytes(128));
    awaitRecords(n2, List.of(0L, 1L, 2L, 3L), n1.address(), Set.of());

    for (NodeProcess reader : List.of(n2, n3)) {
      assertReads(reader, 0, 100);
      assertReads(reader, 3L * PAGE + 10, 200);
      assertReads(reader, 2L * PAGE - 64, 128);
      assertReads(reader, 2L * PAGE - 1, 2); // one byte each side of the boundary
      assertReads(reader, 0, SPAN); // everything, untouched bytes included (zeros)
    }
    awaitRecords(n1, List.of(0L, 1L, 2L, 3L), null,
        Set.of(n1.address(), n2.address(), n3.address()));
    long epochBefore = record(http.coherence(n1, OBJ), 1).path("epoch").asLong();

    // Through node 3: overlapping the head, and across the page boundary again.
    write(n3, 50, bytes(100));
    write(n3, 2L * PAGE - 10, bytes(30));
    awaitRecords(n2, List.of(0L, 1L, 2L), n3.address(), Set.of());
    JsonNode afterWrite = http.coherence(n2, OBJ);
    assertTrue(record(afterWrite, 1).path("epoch").asLong() > epochBefore,
        "a write that invalidated the sharers starts a new epoch: " + afterWrite);
    assertEquals(Set.of(n1.address(), n2.address(), n3.address()),
        sharers(record(afterWrite, 3)), "page 3 was not written, its sharers stay: " + afterWrite);

    for (NodeProcess reader : List.of(n1, n2)) {
      assertReads(reader, 50, 100);
      assertReads(reader, 2L * PAGE - 10, 30);
      assertReads(reader, 0, SPAN);
    }
    assertReads(n3, 0, SPAN);
    awaitRecords(n1, List.of(0L, 1L, 2L), null, Set.of(n1.address(), n2.address(), n3.address()));
  }

  private void write(NodeProcess via, long offset, byte[] data) throws Exception {
    http.write(via, OBJ, offset, data);
    System.arraycopy(data, 0, expected, (int) offset, data.length);
  }

  private void assertReads(NodeProcess via, long offset, int length) throws Exception {
    byte[] got = http.read(via, OBJ, offset, length);
    byte[] want = java.util.Arrays.copyOfRange(expected, (int) offset, (int) offset + length);
    assertArrayEquals(want, got, via.name() + " read " + length + " bytes at " + offset);
  }

  /**
   * Waits until the directory (asked through {@code via}) records {@code owner} (null: none) and
   * exactly {@code sharers} for each page, with nothing in progress.
   */
  private void awaitRecords(NodeProcess via, List<Long> pages, String owner, Set<String> sharers) {
    Await.until(SETTLE, "pages " + pages + " owned by " + owner + ", shared by " + sharers, () -> {
      JsonNode view = http.coherence(via, OBJ);
      for (long p : pages) {
        JsonNode r = record(view, p);
        assertEquals(owner, owner(r), "owner of page " + p + ": " + view);
        assertEquals(sharers, sharers(r), "sharers of page " + p + ": " + view);
        assertEquals(false, r.path("busy").asBoolean(), "page " + p + " busy: " + view);
        if (owner != null) {
          assertEquals("E/M", r.path("nodes").path(owner).asText(), view.toString());
        }
      }
    });
  }

  /** Random non-zero bytes (a zero would be indistinguishable from an unwritten byte). */
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (1 + ThreadLocalRandom.current().nextInt(255));
    }
    return b;
  }
}

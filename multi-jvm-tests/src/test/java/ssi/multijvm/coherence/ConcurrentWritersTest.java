package ssi.multijvm.coherence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.multijvm.coherence.CacheHttp.PAGE;
import static ssi.multijvm.coherence.CacheHttp.pageOf;
import static ssi.multijvm.coherence.CacheHttp.record;
import static ssi.multijvm.coherence.CacheHttp.tagOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Three writers, one per node, race on one page (DESIGN §12, invariants 2 and 3). Each writes
 * whole-page values tagged {@code w<node>-<seq>} and reads the page back through its own node and
 * the next one after every write. Every read is exactly one written value (never a mix), and no
 * thread ever sees a writer's sequence go backwards (a read never returns a value older than one
 * already observed or written by that thread). At the end every node reads the same value, the
 * last write of one writer, and the stored serial — bumped once per write along the chain of
 * owners — shows that the directory ordered every one of the writes, none lost or applied to a
 * stale copy, with the value read last in that order.
 */
@ExtendWith(MultiJvm.class)
class ConcurrentWritersTest {

  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final long OBJ = 4201;
  private static final int WRITES_PER_NODE = 40;

  private final CacheHttp http = new CacheHttp();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void everyReadIsOneWrittenValueAndAllNodesEndOnTheLastWrite(TestCluster cluster)
      throws Exception {
    cluster.start(3);
    List<NodeProcess> nodes = cluster.nodes();

    http.write(nodes.get(0), OBJ, 0, pageOf("w0-0"));
    assertEquals(200, http.fsync(nodes.get(0), OBJ).status());
    long baseSerial = record(http.coherence(nodes.get(0), OBJ), 0).path("serial").asLong();
    assertTrue(baseSerial > 0, "the first value was stored");

    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    List<Future<Checked>> writers = new ArrayList<>();
    try {
      for (int i = 0; i < nodes.size(); i++) {
        int w = i + 1;
        NodeProcess own = nodes.get(i);
        NodeProcess next = nodes.get((i + 1) % nodes.size());
        writers.add(pool.submit(() -> writeAndCheck(w, own, next)));
      }
      int reads = 0;
      int foreign = 0;
      for (Future<Checked> f : writers) {
        Checked c = f.get(5, TimeUnit.MINUTES);
        reads += c.reads();
        foreign += c.foreign();
      }
      System.out.println(nodes.size() * WRITES_PER_NODE + " writes, " + reads
          + " reads checked, " + foreign + " of them another writer's value");
      assertTrue(foreign > 0, "the writers never saw each other's values: they did not race");
    } finally {
      pool.shutdownNow();
    }

    byte[] last = http.read(nodes.get(0), OBJ, 0, PAGE);
    String tag = tagOf(last);
    assertNotNull(tag, "the final value is one whole written value");
    assertTrue(tag.matches("w[123]-" + (WRITES_PER_NODE - 1)),
        "the final value is some writer's last write, got " + tag);
    for (NodeProcess n : nodes) {
      assertArrayEquals(last, http.read(n, OBJ, 0, PAGE), n.name() + " disagrees");
    }
    for (NodeProcess n : nodes) {
      assertEquals(200, http.fsync(n, OBJ).status());
    }
    long expectedSerial = baseSerial + (long) nodes.size() * WRITES_PER_NODE;
    Await.until(SETTLE, "the stored serial counts every write", () -> {
      JsonNode r = record(http.coherence(nodes.get(1), OBJ), 0);
      assertEquals(expectedSerial, r.path("serial").asLong(), r.toString());
      assertFalse(r.path("busy").asBoolean(), r.toString());
    });
    for (NodeProcess n : nodes) {
      assertEquals(tag, tagOf(http.read(n, OBJ, 0, PAGE)), n.name() + " after the write-back");
    }
    System.out.println("final value " + tag + " at serial " + expectedSerial);
  }

  /** What one writer's loop checked: its reads, and how many returned another writer's value. */
  private record Checked(int reads, int foreign) {
  }

  private Checked writeAndCheck(int writer, NodeProcess own, NodeProcess next) throws Exception {
    // The highest sequence of each writer this thread has observed or written.
    Map<Integer, Integer> seen = new HashMap<>();
    int reads = 0;
    int foreign = 0;
    for (int seq = 0; seq < WRITES_PER_NODE; seq++) {
      http.write(own, OBJ, 0, pageOf("w" + writer + "-" + seq));
      seen.put(writer, seq);
      for (NodeProcess via : List.of(own, next)) {
        byte[] page = http.read(via, OBJ, 0, PAGE);
        String tag = tagOf(page);
        if (tag == null) {
          throw new AssertionError("writer " + writer + " read through " + via.name()
              + " a page that is no single written value: "
              + new String(page, 0, 64, java.nio.charset.StandardCharsets.US_ASCII) + "...");
        }
        String[] parts = tag.substring(1).split("-");
        int w = Integer.parseInt(parts[0]);
        int s = Integer.parseInt(parts[1]);
        if (w == 0) {
          throw new AssertionError("writer " + writer + " read the initial value after its "
              + "own write completed");
        }
        if (s < seen.getOrDefault(w, -1)) {
          throw new AssertionError("writer " + writer + " read " + tag + " through "
              + via.name() + " after it had seen w" + w + "-" + seen.get(w) + ": went back");
        }
        seen.merge(w, s, Math::max);
        reads++;
        foreign += w == writer ? 0 : 1;
      }
    }
    return new Checked(reads, foreign);
  }
}

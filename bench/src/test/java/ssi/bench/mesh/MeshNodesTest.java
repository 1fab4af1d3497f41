package ssi.bench.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ssi.cluster.mesh.LinkStats;

/**
 * The mesh suite's setup works end to end, with a handful of messages (no timing is asserted):
 * two nodes join, both round-trip paths answer, page batches travel on the mesh's bulk channel,
 * and the TCP baseline's second JVM acknowledges a round and is gone after close.
 */
class MeshNodesTest {

  private static MeshNodes nodes;

  @BeforeAll
  static void start() throws InterruptedException {
    nodes = MeshNodes.start();
  }

  @AfterAll
  static void stop() {
    nodes.close();
  }

  @Test
  void bothRoundTripPathsAnswer() throws InterruptedException {
    RoundTrips rt = new RoundTrips(nodes);
    long[] proxy = rt.proxy(20);
    long[] ask = rt.ask(20);
    assertEquals(20, proxy.length);
    assertTrue(proxy[19] > 0 && ask[19] > 0);
  }

  @Test
  void pageBatchesTravelOnTheBulkChannel() throws InterruptedException {
    long bulkBefore = nodes.links().stream().mapToLong(LinkStats::bulkBytes).sum();
    int[] sent = {0};
    BulkTransfer.Result r = new BulkTransfer(nodes.pageProxy(), MeshSuite.BATCH_BYTES, 4)
        .run(() -> sent[0]++ < 10);

    assertTrue(r.errors().isEmpty(), "failed replies: " + r.errors());
    assertEquals(10, r.batches());
    assertEquals(10L * MeshSuite.BATCH_BYTES, r.bytes());
    long bulkAfter = nodes.links().stream().mapToLong(LinkStats::bulkBytes).sum();
    assertTrue(bulkAfter - bulkBefore >= r.bytes(),
        "bulk channel bytes " + (bulkAfter - bulkBefore));
  }

  @Test
  void theTcpSinkAcknowledgesARoundAndDiesOnClose() throws Exception {
    TcpStream tcp = TcpStream.start(MeshSuite.BATCH_BYTES);
    try {
      TcpStream.Result r = tcp.run(1 << 20, () -> false);
      assertEquals(1 << 20, r.bytes());
      assertTrue(tcp.sinkAlive());
    } finally {
      tcp.close();
    }
    assertFalse(tcp.sinkAlive());
  }

  @Test
  void bulkLoadRunsOnTheRequestedLink() throws Exception {
    RttUnderBulk.Result r = new RttUnderBulk(nodes, MeshSuite.BATCH_BYTES, 4).measure(1, 20, true);
    assertEquals(r.probeCpu(), r.loadCpu());
    assertEquals(20, r.idle().count());
    assertEquals(20, r.loaded().count());
    assertTrue(BulkTransfer.forDuration(Duration.ofMinutes(1)).getAsBoolean());
  }
}

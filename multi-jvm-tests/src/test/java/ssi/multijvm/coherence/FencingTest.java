package ssi.multijvm.coherence;

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
import java.io.IOException;
import java.time.Duration;
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
 * Fencing (DESIGN §7, §12 invariant 4): node 3 holds a page in M when its JVM is paused
 * ({@code SIGSTOP}, a partition as the others see it); the Split Brain Resolver removes it, the
 * directory revokes its grant and advances the page's epoch, and node 1 writes the page under the
 * new epoch. When node 3 resumes ({@code SIGCONT}) it is asked to fsync its stale copy before it
 * finds itself removed and exits; whatever of that write-back reaches the directory is rejected
 * (and counted in {@code staleRejected}): the page keeps node 1's value.
 */
@ExtendWith(MultiJvm.class)
class FencingTest {

  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final CacheHttp http = new CacheHttp();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aPausedNodesLateWriteBackNeverOverwritesTheNewOwner(TestCluster cluster)
      throws Exception {
    cluster.withProperty("ssi.cache.write-back-interval", "1h").start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    NodeProcess n3 = cluster.node(3);
    // The directory must outlive node 3 to fence it (its rebuild elsewhere is DirtyNodeCrashTest).
    long obj = http.objectWithDirectory(n1, 4600, host -> !host.equals(n3.address()));

    http.write(n1, obj, 0, pageOf("n1-before"));
    http.write(n3, obj, 0, pageOf("n3-stale"));
    JsonNode held = http.coherence(n1, obj);
    assertEquals(n3.address(), owner(record(held, 0)), "node 3 holds the page: " + held);
    long staleEpoch = record(held, 0).path("epoch").asLong();
    long staleBefore = held.path("staleRejected").asLong();

    n3.signal("STOP");
    try {
      cluster.awaitAllUp(List.of(n1, n2));
      Await.until(SETTLE, "node 3's grant revoked under a new epoch", () -> {
        JsonNode r = record(http.coherence(n1, obj), 0);
        assertFalse(n3.address().equals(owner(r)) || sharers(r).contains(n3.address()),
            r.toString());
        assertTrue(r.path("epoch").asLong() > staleEpoch, r.toString());
      });

      http.write(n1, obj, 0, pageOf("n1-after"));
      JsonNode owned = http.coherence(n2, obj);
      assertEquals(n1.address(), owner(record(owned, 0)), owned.toString());
      assertTrue(record(owned, 0).path("epoch").asLong() > staleEpoch, owned.toString());
      assertEquals("n1-after", tagOf(http.read(n2, obj, 0, PAGE)));
    } finally {
      n3.signal("CONT");
    }

    // Resumed, node 3 still believes it owns the page in M: ask it to write it back now.
    String fsync;
    try {
      fsync = http.fsync(n3, obj).toString();
    } catch (IOException e) {
      fsync = e.toString();
    }
    Await.until(SETTLE, "node 3 finds itself removed and exits", () ->
        assertFalse(n3.isAlive(), n3 + " still running"));

    for (NodeProcess reader : List.of(n2, n1)) {
      assertEquals("n1-after", tagOf(http.read(reader, obj, 0, PAGE)),
          reader.name() + " reads the page after node 3's late write-back");
    }
    assertEquals(200, http.fsync(n1, obj).status());
    assertEquals("n1-after", tagOf(http.read(n2, obj, 0, PAGE)));
    JsonNode end = http.coherence(n2, obj);
    long staleAfter = end.path("staleRejected").asLong();
    assertTrue(staleAfter >= staleBefore, end.toString());
    System.out.println("node 3's fsync after SIGCONT: " + fsync + "; staleRejected "
        + staleBefore + " -> " + staleAfter);
  }
}

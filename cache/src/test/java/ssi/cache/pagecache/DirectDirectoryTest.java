package ssi.cache.pagecache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.testing.LogCapture;

/**
 * Requests go straight to a directory incarnation once it has spoken to the node, and a node
 * forgets an incarnation as soon as it stops (here: passivated after 1 s idle), so the next
 * request goes through Cluster Sharding and starts the next one. The re-send timer is set to an
 * hour: only the death watch can bring a node back to sharding in time.
 */
@ExtendWith(LogCapture.class)
class DirectDirectoryTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static EmbeddedStore store;
  private static final List<ActorTestKit> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    store = EmbeddedStore.startTemporary();
    nodes.addAll(ClusterTestKits.start("DirectDirectoryTest", 2, """
        ssi.cache.write-back-interval = 1h
        ssi.cache.resend-after = 1h
        ssi.cache.passivate-after = 1s
        ssi.store.url = "%s"
        """.formatted(store.url())));
    for (ActorTestKit n : nodes) {
      Mesh.get(n.system());
      PageCache.get(n.system());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterTestKits.stop(nodes);
    store.close();
  }

  private static PageCache cache(int i) {
    return PageCache.get(nodes.get(i).system());
  }

  private static <T> T ok(java.util.concurrent.CompletionStage<Reply<T>> stage) throws Exception {
    Reply<T> r = stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(ssi.actors.lwkt.Errno.OK, r.errno(), "reply " + r);
    return r.value();
  }

  private static void await(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertFalse(System.nanoTime() > deadline, what);
      LockSupport.parkNanos(20_000_000);
    }
  }

  @Test
  void requestsGoStraightToTheDirectoryAndAStoppedOneIsForgottenAtOnce() throws Exception {
    long obj = 7001;
    byte[] v1 = "first".getBytes(StandardCharsets.UTF_8);
    ok(cache(0).write(obj, 0, v1));
    assertTrue(cache(0).knowsDirectory(obj), "the grant told node 0 where the directory is");
    // Node 1's read is forwarded to node 0, whose data comes straight to node 1: nothing from
    // the directory itself reaches node 1, which keeps using sharding.
    assertArrayEquals(v1, ok(cache(1).read(obj, 0, v1.length)));

    // Idle, the directory passivates: node 0 forgets it (death watch, not the re-send timer).
    await("node 0 still sends to a stopped directory", () -> !cache(0).knowsDirectory(obj));

    // The next write goes through sharding, starts a new incarnation and learns it.
    byte[] v2 = "again".getBytes(StandardCharsets.UTF_8);
    ok(cache(1).write(obj, 0, v2));
    assertTrue(cache(1).knowsDirectory(obj));
    assertArrayEquals(v2, ok(cache(0).read(obj, 0, v2.length)));
  }
}

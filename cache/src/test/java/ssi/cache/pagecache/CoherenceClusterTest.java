package ssi.cache.pagecache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Reply;
import ssi.cache.coherence.Mesi;
import ssi.cache.coherence.PageData;
import ssi.cache.directory.BackingStore;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.testing.LogCapture;

/**
 * The coherence protocol end to end in one JVM: three cluster nodes over Artery TCP, the real
 * backing store on an embedded PostgreSQL, page caches on every node. Single-copy semantics,
 * zero-message hits, concurrent writers, fsync to the store, and the directory's view.
 */
@ExtendWith(LogCapture.class)
class CoherenceClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static EmbeddedStore store;
  private static final List<ActorTestKit> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    store = EmbeddedStore.startTemporary();
    nodes.addAll(ClusterTestKits.start("CoherenceClusterTest", 3, """
        ssi.cache.write-back-interval = 1h
        # tiny bounds: records fold and recalls run, the image reloads pages, on every test
        ssi.cache.max-records-per-object = 2
        ssi.cache.max-image-pages = 1
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWriteOnOneNodeIsReadOnTheOthers() throws Exception {
    long obj = 1001;
    ok(cache(0).write(obj, 10, bytes("hello, coherent world")));

    assertArrayEquals(bytes("hello, coherent world"), ok(cache(1).read(obj, 10, 21)));
    assertArrayEquals(bytes("hello, coherent world"), ok(cache(2).read(obj, 10, 21)));
    assertEquals(Mesi.S, cache(1).state(obj, 0));
    assertEquals(Mesi.S, cache(2).state(obj, 0));

    // A second write on another node invalidates the sharers; everyone reads the new value.
    ok(cache(2).write(obj, 10, bytes("HELLO")));
    assertEquals(Mesi.M, cache(2).state(obj, 0));
    assertEquals(Mesi.I, cache(1).state(obj, 0));
    assertArrayEquals(bytes("HELLO, coherent world"), ok(cache(0).read(obj, 10, 21)));
    assertArrayEquals(bytes("HELLO, coherent world"), ok(cache(1).read(obj, 10, 21)));
  }

  @Test
  void hitsCostNoMessage() throws Exception {
    long obj = 1002;
    ok(cache(0).write(obj, 0, bytes("x")));          // a miss: E/M on node 0
    long before = cache(0).counters().messagesSent();
    for (int i = 0; i < 100; i++) {
      ok(cache(0).write(obj, i, bytes("y")));       // M: local
      ok(cache(0).read(obj, 0, 100));               // M: local
    }
    assertEquals(before, cache(0).counters().messagesSent(), "hits in M sent no message");
    CompletableFuture<Reply<PageData>> hit = cache(0).readPage(obj, 0).toCompletableFuture();
    assertTrue(hit.isDone(), "a hit completes in the caller's thread");
  }

  @Test
  void concurrentWritersOnOnePageEndWithOneOfTheirValuesEverywhere() throws Exception {
    long obj = 1003;
    List<CompletableFuture<Reply<Void>>> writes = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (int round = 0; round < 20; round++) {
      for (int n = 0; n < 3; n++) {
        String v = String.format("n%d-r%02d", n, round);
        written.add(v);
        writes.add(cache(n).write(obj, 0, bytes(v)).toCompletableFuture());
      }
    }
    try {
      for (CompletableFuture<Reply<Void>> w : writes) {
        assertTrue(w.get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("DUMP pending=" + writes.stream().filter(w -> !w.isDone()).count());
      for (int n = 0; n < 3; n++) {
        System.out.println("DUMP node " + n + " " + Cluster.get(nodes.get(n).system()).selfMember().address()
            + " state=" + cache(n).state(obj, 0) + " " + cache(n).debug(obj, 0));
      }
      BackingStore.View view = ClusterSharding.get(nodes.get(0).system())
          .entityRefFor(BackingStore.ENTITY_TYPE_KEY, Long.toString(obj))
          .<BackingStore.View>ask(BackingStore.GetView::new, WAIT)
          .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      System.out.println("DUMP dir " + view);
      throw e;
    }
    String seen0 = new String(ok(cache(0).read(obj, 0, 6)), StandardCharsets.UTF_8);
    assertTrue(written.contains(seen0), "a complete written value, not a mix: " + seen0);
    for (int n = 1; n < 3; n++) {
      assertEquals(seen0, new String(ok(cache(n).read(obj, 0, 6)), StandardCharsets.UTF_8),
          "every node reads the same last value");
    }
  }

  @Test
  void fsyncReachesTheStoreAndTheDirectoryShowsTheRecords() throws Exception {
    long obj = 1004;
    ok(cache(1).write(obj, 4096 + 5, bytes("durable")));
    ok(cache(1).fsync(obj));

    byte[] stored = ok(ssi.cache.store.JdbcPageStore.open(store.settings(), Runnable::run)
        .readPage(obj, 1)).data();
    assertArrayEquals(bytes("durable"), java.util.Arrays.copyOfRange(stored, 5, 12));

    BackingStore.View view = ClusterSharding.get(nodes.get(0).system())
        .entityRefFor(BackingStore.ENTITY_TYPE_KEY, Long.toString(obj))
        .<BackingStore.View>ask(BackingStore.GetView::new, WAIT)
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("ready", view.state());
    var record = view.pages().stream().filter(p -> p.page() == 1).findFirst().orElseThrow();
    assertNotNull(record.owner(), "node 1 still owns the page (in E after the fsync)");
    assertEquals(Cluster.get(nodes.get(1).system()).selfMember().address().toString(), record.owner());
    assertEquals(Mesi.E, cache(1).state(obj, 1));
  }
}

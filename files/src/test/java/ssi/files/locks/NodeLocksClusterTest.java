package ssi.files.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.LockRange;
import ssi.cache.rangelock.ObjectRange;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.testing.LogCapture;

/**
 * Range locks across two real cluster nodes (one JVM, Artery on loopback, the files' lock servers
 * as sharded entities): exclusive locks on disjoint ranges of one file are held by both nodes at
 * once; an overlapping one waits until the holder lets go; and many random overlapping
 * transactions (several files, several ranges each) from four threads per node all complete
 * within a deadline — no deadlock — while no two conflicting ranges are ever held at once
 * (checked on a map shared by both nodes, which live in this JVM).
 */
@ExtendWith(LogCapture.class)
class NodeLocksClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static EmbeddedStore store;
  private static final List<ActorTestKit> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    store = EmbeddedStore.startTemporary();
    nodes.addAll(ClusterTestKits.start("NodeLocksClusterTest", 2, """
        ssi.store.url = "%s"
        # lock servers idle this long stop: the recovery test waits for that
        ssi.files.passivate-after = 2s
        """.formatted(store.url())));
    for (ActorTestKit n : nodes) {
      Mesh.get(n.system());
      PageCache.get(n.system());
      FileObject.init(n.system());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterTestKits.stop(nodes);
    store.close();
  }

  private static NodeLocks locks(int i) {
    return NodeLocks.get(nodes.get(i).system());
  }

  private static LockOwner owner(int i, long id) {
    ActorSystem<?> s = nodes.get(i).system();
    return new LockOwner(Cluster.get(s).selfMember().address().toString(), id);
  }

  private static <T> T ok(CompletionStage<Reply<T>> stage) throws Exception {
    Reply<T> r = stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Errno.OK, r.errno(), "reply " + r);
    return r.value();
  }

  @Test
  void disjointExclusiveLocksOfTwoNodesAreHeldTogetherAndAnOverlapWaits() throws Exception {
    long obj = 1_000_001;
    NodeLock a = ok(locks(0).acquire(obj, owner(0, 1), LockMode.EXCLUSIVE, 0, 65536));
    NodeLock b = ok(locks(1).acquire(obj, owner(1, 1), LockMode.EXCLUSIVE, 65536, 65536));
    var overlap = locks(1).acquire(obj, owner(1, 2), LockMode.SHARED, 60000, 10000)
        .toCompletableFuture();
    assertEquals(Errno.OK, b.release());
    // Node 1 asked to read into node 0's range: it waits while node 0 holds it...
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (locks(0).local().get(obj).extents().stream().noneMatch(
        NodeLocks.CachedExtent::revoking)) {
      assertFalse(System.nanoTime() > deadline, "node 0's extent never revoked");
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    assertFalse(overlap.isDone(), "granted while node 0 held an overlapping exclusive lock");
    assertEquals(Errno.OK, a.release());
    NodeLock read = overlap.get(WAIT.toSeconds(), TimeUnit.SECONDS).value();
    assertEquals(Errno.OK, read.release());
  }

  /** Waits (with a deadline) until {@code done} holds. */
  private static void await(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertFalse(System.nanoTime() > deadline, what);
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
  }

  private static NodeLocks.ServerView server(long obj) {
    NodeLocks.ServerView v = locks(0).servers().get(obj);
    return v != null ? v : locks(1).servers().get(obj);
  }

  @Test
  void aRestartedLockServerGrantsNothingWhileAnExtentOfItsPredecessorIsInUse() throws Exception {
    long obj = 3_000_001;
    NodeLock old = ok(locks(0).acquire(obj, owner(0, 1), LockMode.EXCLUSIVE, 0, 10));
    long first = server(obj).epoch();
    // Held locks send nothing: the idle server passivates and forgets every grant.
    await("the lock server never passivated", () -> server(obj) == null);

    var next = locks(1).acquire(obj, owner(1, 1), LockMode.EXCLUSIVE, 5, 10)
        .toCompletableFuture();
    await("no new incarnation", () -> server(obj) != null && server(obj).epoch() != first);
    assertTrue(server(obj).epoch() > first, "a later incarnation has a larger epoch");
    assertTrue(server(obj).recovering(), "it waits for node 0 to give up the old extent");
    assertFalse(next.isDone(), "granted beside an extent still in use");
    assertEquals(Errno.OK, old.release());
    NodeLock granted = next.get(WAIT.toSeconds(), TimeUnit.SECONDS).value();
    assertFalse(server(obj).recovering());
    assertTrue(locks(0).local().get(obj) == null
        || locks(0).local().get(obj).extents().isEmpty(), "node 0 kept nothing of the old one");
    assertEquals(Errno.OK, granted.release());
  }

  @Test
  void randomOverlappingTransactionsFromBothNodesNeverDeadlockNorOverlap() throws Exception {
    int threadsPerNode = 4;
    int perThread = 60;
    long[] files = {2_000_001, 2_000_002, 2_000_003};
    // What is held right now, per file: [start, end, exclusive] of every range, both nodes.
    List<List<long[]>> held = new ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      held.add(new ArrayList<>());
    }
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2 * threadsPerNode);
    for (int node = 0; node < 2; node++) {
      for (int t = 0; t < threadsPerNode; t++) {
        int n = node;
        long seed = node * 100L + t;
        workers.add(CompletableFuture.runAsync(() -> {
          Random rnd = new Random(seed);
          for (int k = 0; k < perThread; k++) {
            List<ObjectRange> tx = new ArrayList<>();
            List<long[]> mine = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            int count = 1 + rnd.nextInt(3);
            for (int j = 0; j < count; j++) {
              int f = rnd.nextInt(files.length);
              long off = rnd.nextInt(16) * 512L;
              long len = 512L * (1 + rnd.nextInt(4));
              boolean x = rnd.nextInt(3) > 0;
              tx.add(new ObjectRange(files[f], new LockRange(
                  x ? LockMode.EXCLUSIVE : LockMode.SHARED, off, len)));
              mine.add(new long[] {off, off + len, x ? 1 : 0});
              where.add(f);
            }
            try {
              List<NodeLock> got = ok(locks(n).acquireAll(owner(n, seed * 1000 + k), tx));
              synchronized (held) {
                for (int j = 0; j < mine.size(); j++) {
                  for (long[] h : held.get(where.get(j))) {
                    long[] m = mine.get(j);
                    if ((h[2] == 1 || m[2] == 1) && h[0] < m[1] && m[0] < h[1]) {
                      violations.add("file " + where.get(j) + ": [" + m[0] + "," + m[1]
                          + ") held beside [" + h[0] + "," + h[1] + ")");
                    }
                  }
                }
                for (int j = 0; j < mine.size(); j++) {
                  held.get(where.get(j)).add(mine.get(j));
                }
              }
              Thread.yield();
              synchronized (held) {
                for (int j = 0; j < mine.size(); j++) {
                  held.get(where.get(j)).remove(mine.get(j));
                }
              }
              got.forEach(NodeLock::release);
              done.incrementAndGet();
            } catch (Exception e) {
              violations.add("node " + n + ": " + e);
              return;
            }
          }
        }, pool));
      }
    }
    try {
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), violations);
    assertEquals(2 * threadsPerNode * perThread, done.get());
    for (int n = 0; n < 2; n++) {
      for (long f : files) {
        var v = locks(n).local().get(f);
        assertTrue(v == null || v.locks().isEmpty(), "node " + n + " file " + f + ": " + v);
      }
    }
    // Idle extents go back (the sweep, run now as if long idle) and the servers show none left.
    for (int n = 0; n < 2; n++) {
      locks(n).sweep(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 0);
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (long f : files) {
      while (locks(0).servers().containsKey(f) || locks(1).servers().containsKey(f)
          || locks(0).local().containsKey(f) || locks(1).local().containsKey(f)) {
        assertFalse(System.nanoTime() > deadline, "file " + f + " still shows "
            + locks(0).servers().get(f) + " / " + locks(1).servers().get(f));
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
    }
  }
}

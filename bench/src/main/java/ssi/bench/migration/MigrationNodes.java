package ssi.bench.migration;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import ssi.actors.bgl.Domains;
import ssi.actors.cpu.Cpus;
import ssi.bench.BenchClusters;
import ssi.bench.migration.MigrationMessages.CopyAck;
import ssi.bench.migration.MigrationMessages.CopyPages;
import ssi.bench.migration.MigrationMessages.ProbeAsk;
import ssi.bench.migration.MigrationMessages.ProbeReply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.EmbeddedStore;
import ssi.cache.store.PageStores;
import ssi.cluster.mesh.Mesh;
import ssi.process.core.Processes;

/**
 * Two full SSI nodes in this JVM — every subsystem a real node starts (CPUs, BGL domains, mesh,
 * page store, page cache, the files layer's entities, processes), Artery TCP on 127.0.0.1 — with
 * an embedded PostgreSQL page store started for the run. Node {@code a} is where processes start
 * and also runs Akka Management (HTTP), as a deployed node does; node {@code b} is where they
 * migrate to.
 *
 * <p>The idle node's heap is measured while the nodes start: used heap after full GCs with no
 * node yet (PostgreSQL already up; it is another OS process), then with node {@code a} alone, up
 * in its own one-node cluster and idle for a while; the difference is the node's heap, including
 * everything a node's JVM holds once for the node (Akka's, Artery's and Management's shared
 * structures), which a node started alone in its own JVM would hold too. Node {@code b}'s
 * increment when it joins is measured the same way and printed as a detail. Close it to
 * terminate the nodes and stop PostgreSQL.
 */
final class MigrationNodes implements AutoCloseable {

  static final String A = "a";
  static final String B = "b";

  /**
   * On top of the default config: a cluster on loopback ports chosen by the OS, the mesh's bulk
   * endpoint on Artery's large-message stream, no downing provider, two CPUs per node, warnings
   * only, Management on 127.0.0.1 on a port chosen by the OS; short shutdown phases for leaving
   * the cluster and handing shards over (the nodes stop together, so nobody takes them over).
   */
  private static final String OVERRIDES = """
      akka.actor.provider = cluster
      akka.remote.artery.canonical.hostname = "127.0.0.1"
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.large-message-destinations = ["/system/ssi-mesh-bulk"]
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.downing-provider-class = ""
      akka.cluster.log-info = off
      akka.loglevel = WARNING
      akka.coordinated-shutdown.exit-jvm = off
      akka.management.http.hostname = "127.0.0.1"
      akka.management.http.port = 0
      akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
      akka.coordinated-shutdown.phases.cluster-exiting.timeout = 2s
      ssi.cpus = 2
      """;

  private static final String SYSTEM_NAME = "ssi";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
  private static final long MANAGEMENT_TIMEOUT_SECONDS = 15;
  private static final long TERMINATE_TIMEOUT_SECONDS = 20;

  /** The heap figures taken while starting (bytes). */
  record StartHeap(long noNode, long nodeA, long nodesAb, boolean management) {
    double nodeMib() {
      return (nodeA - noNode) / Heap.MIB;
    }

    double secondNodeMib() {
      return (nodesAb - nodeA) / Heap.MIB;
    }
  }

  private final EmbeddedStore store;
  private final ActorSystem<Void> a;
  private final ActorSystem<Void> b;
  private final StartHeap heap;
  private final ActorRef<ProbeAsk> responderOnA;
  private final ActorRef<CopyPages> sinkOnB;

  private MigrationNodes(EmbeddedStore store, ActorSystem<Void> a, ActorSystem<Void> b,
      StartHeap heap) {
    this.store = store;
    this.a = a;
    this.b = b;
    this.heap = heap;
    ActorRef<ProbeAsk> responder = a.systemActorOf(responder(), "bench-migration-probe",
        Props.empty());
    this.responderOnA = ActorRefResolver.get(b).resolveActorRef(
        ActorRefResolver.get(a).toSerializationFormat(responder));
    ActorRef<CopyPages> sink = b.systemActorOf(copySink(), "bench-migration-copy",
        Props.empty());
    this.sinkOnB = ActorRefResolver.get(a).resolveActorRef(
        ActorRefResolver.get(b).toSerializationFormat(sink));
  }

  /**
   * Starts PostgreSQL, node a alone (measuring its heap after {@code idle} of idleness), then
   * node b joined to it; fails after 30 s without a cluster.
   */
  static MigrationNodes start(Duration idle) throws IOException {
    long t0 = System.nanoTime();
    EmbeddedStore store = EmbeddedStore.startTemporary();
    System.out.println(String.format(Locale.ROOT, "PostgreSQL up in %.1f s",
        (System.nanoTime() - t0) / 1e9));
    List<ActorSystem<Void>> started = new ArrayList<>();
    try {
      Config base = ConfigFactory.parseString(OVERRIDES + "ssi.store.url = \"" + store.url()
          + "\"\n").withFallback(ConfigFactory.load());
      long noNode = Heap.usedAfterFullGc();
      ActorSystem<Void> a = node(A, base, started);
      Address first = Cluster.get(a).selfMember().address();
      Cluster.get(a).manager().tell(Join.create(first));
      BenchClusters.awaitUp(a, 1, JOIN_TIMEOUT);
      boolean management = startManagement(a);
      System.out.println(String.format(Locale.ROOT, "node a up in %.1f s",
          (System.nanoTime() - t0) / 1e9));
      LockSupport.parkNanos(idle.toNanos());
      long nodeA = Heap.usedAfterFullGc();

      ActorSystem<Void> b = node(B, base, started);
      Cluster.get(b).manager().tell(Join.create(first));
      BenchClusters.awaitUp(a, 2, JOIN_TIMEOUT);
      BenchClusters.awaitUp(b, 2, JOIN_TIMEOUT);
      System.out.println(String.format(Locale.ROOT, "node b up in %.1f s",
          (System.nanoTime() - t0) / 1e9));
      LockSupport.parkNanos(idle.toNanos());
      long nodesAb = Heap.usedAfterFullGc();
      return new MigrationNodes(store, a, b, new StartHeap(noNode, nodeA, nodesAb, management));
    } catch (RuntimeException e) {
      terminate(started);
      store.close();
      throw e;
    }
  }

  /** A node named {@code name} (its {@code name:} role) with every subsystem started. */
  private static ActorSystem<Void> node(String name, Config base, List<ActorSystem<Void>> started) {
    Config c = ConfigFactory.parseString("akka.cluster.roles = [\"name:" + name + "\"]")
        .withFallback(base);
    ActorSystem<Void> s = ActorSystem.create(guardian(), SYSTEM_NAME, c);
    started.add(s);
    // The guardian starts them too, asynchronously; these calls return once each is up.
    Cpus.get(s);
    Domains.get(s);
    Mesh.get(s);
    PageStores.get(s);
    PageCache.get(s);
    ssi.files.namespace.Directory.init(s);
    ssi.files.locks.FileObject.init(s);
    Processes.get(s);
    return s;
  }

  /** What {@code ssi.node.NodeGuardian} starts (it is not public): every subsystem, in order. */
  private static Behavior<Void> guardian() {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> s = ctx.getSystem();
      Cpus.get(s);
      Domains.get(s);
      Mesh.get(s);
      PageStores.get(s);
      PageCache.get(s);
      ssi.files.namespace.Directory.init(s);
      ssi.files.locks.FileObject.init(s);
      Processes.get(s);
      return Behaviors.empty();
    });
  }

  private static boolean startManagement(ActorSystem<Void> s) {
    try {
      AkkaManagement.get(s).start().toCompletableFuture()
          .get(MANAGEMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      System.out.println("Akka Management did not start on node a (" + e
          + "); the idle node is measured without it");
      return false;
    }
  }

  private static Behavior<ProbeAsk> responder() {
    return Behaviors.receive(ProbeAsk.class)
        .onMessage(ProbeAsk.class, m -> {
          m.replyTo().tell(new ProbeReply(m.txn()));
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Writes the pages it is sent into the target's page cache, acknowledging each batch once
   * written; a batch for object -1 is acknowledged at once (the transfer alone).
   */
  private static Behavior<CopyPages> copySink() {
    return Behaviors.setup(ctx -> {
      PageCache cache = PageCache.get(ctx.getSystem());
      return Behaviors.receive(CopyPages.class)
          .onMessage(CopyPages.class, m -> {
            // No actor state is touched: the reply goes straight to the asker.
            if (m.obj() < 0) { // the transfer alone, for the baseline's lower bound
              m.replyTo().tell(new CopyAck(m.offset(), true));
              return Behaviors.same();
            }
            cache.write(m.obj(), m.offset(), m.data()).whenComplete((r, e) ->
                m.replyTo().tell(new CopyAck(m.offset(), r != null && r.isOk())));
            return Behaviors.same();
          })
          .build();
    });
  }

  ActorSystem<Void> a() {
    return a;
  }

  ActorSystem<Void> b() {
    return b;
  }

  StartHeap heap() {
    return heap;
  }

  /** On node b: node a's plain actor answering {@link ProbeAsk}s. */
  ActorRef<ProbeAsk> responderOnA() {
    return responderOnA;
  }

  /** On node a: node b's actor writing copied pages into b's page cache. */
  ActorRef<CopyPages> sinkOnB() {
    return sinkOnB;
  }

  String describe() {
    return String.format(Locale.ROOT, "a %s, b %s", Cluster.get(a).selfMember().address(),
        Cluster.get(b).selfMember().address());
  }

  /** Terminates the nodes, then stops PostgreSQL. */
  @Override
  public void close() {
    long t0 = System.nanoTime();
    try {
      terminate(List.of(a, b));
      System.out.println(String.format(Locale.ROOT, "nodes stopped in %.1f s",
          (System.nanoTime() - t0) / 1e9));
    } finally {
      try {
        store.close();
      } catch (IOException e) {
        System.out.println("the embedded PostgreSQL did not stop cleanly: " + e);
      }
    }
    System.out.println(String.format(Locale.ROOT, "nodes and PostgreSQL stopped in %.1f s",
        (System.nanoTime() - t0) / 1e9));
  }

  /** Terminates all at once (one by one, each would wait for the others to see it leave). */
  private static void terminate(List<ActorSystem<Void>> systems) {
    systems.forEach(ActorSystem::terminate);
    for (ActorSystem<Void> s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture()
            .get(TERMINATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        System.out.println("node " + s.address() + " did not terminate: " + e);
      }
    }
  }
}

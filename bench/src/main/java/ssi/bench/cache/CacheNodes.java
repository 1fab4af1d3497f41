package ssi.bench.cache;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ssi.bench.cache.CacheMessages.PageProbeAsk;
import ssi.bench.cache.CacheMessages.PageReply;
import ssi.bench.cache.CacheMessages.ProbeAsk;
import ssi.bench.cache.CacheMessages.ProbeReply;
import ssi.cache.directory.BackingStore;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.mesh.Mesh;

/**
 * Three cluster nodes in this JVM over real Artery TCP on 127.0.0.1, with the real page caches and
 * sharded backing stores on an embedded PostgreSQL started for the run: node A (index 0) is where
 * every measured operation starts; node B (1) hosts the directories of the measured objects and a
 * plain actor answering raw Artery asks; node C (2) is the holder of dirty pages and the loader of
 * clean ones. C's page cache holds one page at most ({@code ssi.cache.max-bytes = 4096}), so a
 * page it has written is evicted (written back) as soon as it touches the next one. Close it to
 * terminate the nodes and stop PostgreSQL.
 */
final class CacheNodes implements AutoCloseable {

  static final int A = 0;
  static final int B = 1;
  static final int C = 2;

  /**
   * On top of the default config: a cluster on loopback ports chosen by the OS, the mesh's bulk
   * endpoint on Artery's large-message stream, no downing provider, two CPUs per node, warnings
   * only; no write-back timer and no passivation during the run (so a page stays in M until the
   * suite moves it, and directories keep their records).
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
      ssi.cpus = 2
      ssi.cache.write-back-interval = 1h
      ssi.cache.passivate-after = 1h
      """;

  private static final String SYSTEM_NAME = "ssi";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 20;
  private static final long TERMINATE_TIMEOUT_SECONDS = 20;

  private final EmbeddedStore store;
  private final List<ActorSystem<Void>> systems;
  private final ActorRef<ProbeAsk> responderOnB;
  private final ActorRef<PageProbeAsk> pageResponderOnB;

  private CacheNodes(EmbeddedStore store, List<ActorSystem<Void>> systems)
      throws InterruptedException {
    this.store = store;
    this.systems = systems;
    Address first = Cluster.get(systems.get(0)).selfMember().address();
    for (ActorSystem<Void> s : systems) {
      Cluster.get(s).manager().tell(Join.create(first));
    }
    for (ActorSystem<Void> s : systems) {
      ssi.bench.BenchClusters.awaitUp(s, systems.size(), JOIN_TIMEOUT);
    }
    for (ActorSystem<Void> s : systems) {
      Mesh.get(s);
      PageCache.get(s);
    }
    ActorRef<ProbeAsk> local = systems.get(B).systemActorOf(responder(), "bench-cache-probe",
        Props.empty());
    String path = ActorRefResolver.get(systems.get(B)).toSerializationFormat(local);
    this.responderOnB = ActorRefResolver.get(systems.get(A)).resolveActorRef(path);
    ActorRef<PageProbeAsk> pages = systems.get(B).systemActorOf(pageResponder(),
        "bench-cache-page-probe", Props.empty());
    this.pageResponderOnB = ActorRefResolver.get(systems.get(A)).resolveActorRef(
        ActorRefResolver.get(systems.get(B)).toSerializationFormat(pages));
  }

  /** Starts PostgreSQL and the three nodes; fails after 30 s without a cluster. */
  static CacheNodes start() throws IOException, InterruptedException {
    EmbeddedStore store = EmbeddedStore.startTemporary();
    List<ActorSystem<Void>> started = new ArrayList<>();
    try {
      Config base = ConfigFactory.parseString(OVERRIDES + "ssi.store.url = \"" + store.url()
          + "\"\n").withFallback(ConfigFactory.load());
      for (int i = 0; i < 3; i++) {
        Config c = i == C ? ConfigFactory.parseString("ssi.cache.max-bytes = 4096")
            .withFallback(base) : base;
        started.add(ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, c));
      }
      return new CacheNodes(store, started);
    } catch (RuntimeException | InterruptedException e) {
      started.forEach(ActorSystem::terminate);
      store.close();
      throw e;
    }
  }

  private static Behavior<ProbeAsk> responder() {
    return Behaviors.receive(ProbeAsk.class)
        .onMessage(ProbeAsk.class, m -> {
          m.replyTo().tell(new ProbeReply(m.txn(), 1));
          return Behaviors.same();
        })
        .build();
  }

  private static Behavior<PageProbeAsk> pageResponder() {
    byte[] page = new byte[4096];
    return Behaviors.receive(PageProbeAsk.class)
        .onMessage(PageProbeAsk.class, m -> {
          m.replyTo().tell(new PageReply(m.txn(), page));
          return Behaviors.same();
        })
        .build();
  }

  ActorSystem<Void> system(int node) {
    return systems.get(node);
  }

  PageCache cache(int node) {
    return PageCache.get(systems.get(node));
  }

  String address(int node) {
    return Cluster.get(systems.get(node)).selfMember().address().toString();
  }

  /** On node A: the remote ref of node B's plain actor answering {@link ProbeAsk}s. */
  ActorRef<ProbeAsk> responderOnB() {
    return responderOnB;
  }

  /** On node A: node B's plain actor answering with a 4 KiB page (a detail's baseline). */
  ActorRef<PageProbeAsk> pageResponderOnB() {
    return pageResponderOnB;
  }

  /** The directory's view of {@code obj}, asked on node {@code node}. */
  BackingStore.View view(int node, long obj) throws Exception {
    return ClusterSharding.get(systems.get(node))
        .entityRefFor(BackingStore.ENTITY_TYPE_KEY, Long.toString(obj))
        .<BackingStore.View>ask(BackingStore.GetView::new, ASK_TIMEOUT)
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The first object id from {@code from} on whose directory is hosted on node {@code host} and
   * ready (rebuilt); the entities of the ids tried on the way stay where they are, unused.
   */
  long objectHostedOn(int host, long from) throws Exception {
    String want = address(host);
    for (long obj = from; obj < from + 200; obj++) {
      BackingStore.View v = view(host, obj);
      if (!v.host().equals(want)) {
        continue;
      }
      long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
      while (!v.state().equals("ready")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the directory of " + obj + " is " + v.state());
        }
        java.util.concurrent.locks.LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
        v = view(host, obj);
      }
      return obj;
    }
    throw new IllegalStateException("no object directory landed on " + want);
  }

  /** Terminates C, B, then A, then stops PostgreSQL. */
  @Override
  public void close() {
    try {
      for (int i = systems.size() - 1; i >= 0; i--) {
        ActorSystem<Void> s = systems.get(i);
        s.terminate();
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
    } finally {
      try {
        store.close();
      } catch (IOException e) {
        System.out.println("the embedded PostgreSQL did not stop cleanly: " + e);
      }
    }
  }
}

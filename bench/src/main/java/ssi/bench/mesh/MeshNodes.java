package ssi.bench.mesh;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.bench.mesh.MeshMessages.PageAsk;
import ssi.bench.mesh.MeshMessages.PageBatch;
import ssi.bench.mesh.MeshMessages.Probe;
import ssi.bench.mesh.MeshMessages.ProbeAsk;
import ssi.bench.mesh.MeshMessages.ProbeReply;
import ssi.cluster.mesh.LinkStats;
import ssi.cluster.mesh.Mesh;

/**
 * Two nodes in this JVM — cluster actor systems over real Artery TCP on 127.0.0.1, joined into
 * one cluster — with what the mesh suite measures between them: on node B a published probe port and
 * a published page sink port (both answer inline, from their agents) and a plain typed actor
 * answering {@link ProbeAsk}s; on node A the proxies for both ports and B's actor's remote ref.
 * Close it to terminate both systems.
 */
final class MeshNodes implements AutoCloseable {

  /** The published port answering {@link Probe}s. */
  static final String PROBE_PORT = "bench.probe";
  /** The published port taking {@link PageBatch}es; it answers with the bytes it got. */
  static final String PAGE_PORT = "bench.pages";

  /**
   * On top of the default config: a cluster on loopback ports chosen by the OS, the mesh's bulk
   * endpoint on Artery's large-message stream (as a node configures it), no downing provider (the
   * two nodes never part), two CPUs per node, warnings only, on standard output. The mesh's own
   * settings (credits, retry-after ...) keep their defaults.
   */
  private static final String OVERRIDES = """
      akka.actor.provider = cluster
      akka.remote.artery.canonical.hostname = "127.0.0.1"
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.large-message-destinations = [
        "/system/ssi-mesh-bulk", "/system/bench-pages-large"]
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.downing-provider-class = ""
      akka.cluster.log-info = off
      akka.loglevel = WARNING
      akka.use-slf4j = off
      akka.loggers = ["akka.event.Logging$DefaultLogger"]
      akka.logging-filter = "akka.event.DefaultLoggingFilter"
      akka.coordinated-shutdown.exit-jvm = off
      ssi.cpus = 2
      """;

  /** A cluster needs every member to have the same system name. */
  private static final String SYSTEM_NAME = "ssi";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
  private static final long TERMINATE_TIMEOUT_SECONDS = 15;

  private final ActorSystem<Void> a;
  private final ActorSystem<Void> b;
  private final Port<Probe, ProbeReply> probeProxy;
  private final Port<PageBatch, Long> pageProxy;
  private final ActorRef<ProbeAsk> responder;
  private final ActorRef<PageAsk> largeSink;
  private final ActorRef<PageAsk> ordinarySink;

  private MeshNodes(ActorSystem<Void> a, ActorSystem<Void> b) throws InterruptedException {
    this.a = a;
    this.b = b;
    Mesh.get(a);
    Mesh.get(b);
    Address first = Cluster.get(a).selfMember().address();
    Cluster.get(a).manager().tell(Join.create(first));
    Cluster.get(b).manager().tell(Join.create(first));
    ssi.bench.BenchClusters.awaitUp(a, 2, JOIN_TIMEOUT);
    ssi.bench.BenchClusters.awaitUp(b, 2, JOIN_TIMEOUT);

    Mesh.get(b).publish(PROBE_PORT, Ports.get(b).register(Port.<Probe, ProbeReply>builder(
            PROBE_PORT, PortKind.SERIALIZER)
        .agent(msg -> Reply.ok(answer(msg.body())))
        .sink(msg -> {
          if (msg.begin()) {
            Lwkt.replyValue(msg, answer(msg.body()));
          }
        })
        .build()));
    Mesh.get(b).publish(PAGE_PORT, Ports.get(b).register(Port.<PageBatch, Long>builder(
            PAGE_PORT, PortKind.SERIALIZER)
        .agent(msg -> Reply.ok((long) msg.body().data().length))
        .sink(msg -> {
          if (msg.begin()) {
            Lwkt.replyValue(msg, (long) msg.body().data().length);
          }
        })
        .build()));
    ActorRef<ProbeAsk> local = b.systemActorOf(responderBehavior(), "bench-probe", Props.empty());
    ActorRef<PageAsk> large = b.systemActorOf(pageSinkBehavior(), "bench-pages-large",
        Props.empty());
    ActorRef<PageAsk> ordinary = b.systemActorOf(pageSinkBehavior(), "bench-pages-ordinary",
        Props.empty());

    Address bAddress = Cluster.get(b).selfMember().address();
    this.probeProxy = Mesh.get(a).proxy(bAddress, PROBE_PORT);
    this.pageProxy = Mesh.get(a).proxy(bAddress, PAGE_PORT);
    this.responder = remote(local);
    this.largeSink = remote(large);
    this.ordinarySink = remote(ordinary);
  }

  /** Node B's actor {@code ref} as node A sees it. */
  private <T> ActorRef<T> remote(ActorRef<T> ref) {
    String path = ActorRefResolver.get(b).toSerializationFormat(ref);
    return ActorRefResolver.get(a).resolveActorRef(path);
  }

  /** Starts node A and node B, joins them and sets up both paths; fails after 30 s. */
  static MeshNodes start() throws InterruptedException {
    Config config = ConfigFactory.parseString(OVERRIDES).withFallback(ConfigFactory.load());
    List<ActorSystem<Void>> started = new ArrayList<>();
    try {
      started.add(ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config));
      started.add(ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config));
      return new MeshNodes(started.get(0), started.get(1));
    } catch (RuntimeException | InterruptedException e) {
      started.forEach(ActorSystem::terminate);
      throw e;
    }
  }

  /** The same answer on both paths: the serial back and a state code. */
  static ProbeReply answer(Probe p) {
    return new ProbeReply(p.serial(), 1);
  }

  private static Behavior<ProbeAsk> responderBehavior() {
    return Behaviors.receive(ProbeAsk.class)
        .onMessage(ProbeAsk.class, m -> {
          m.replyTo().tell(answer(m.probe()));
          return Behaviors.same();
        })
        .build();
  }

  private static Behavior<PageAsk> pageSinkBehavior() {
    return Behaviors.receive(PageAsk.class)
        .onMessage(PageAsk.class, m -> {
          m.replyTo().tell((long) m.batch().data().length);
          return Behaviors.same();
        })
        .build();
  }

  /** CPUs per node ({@code ssi.cpus}): one mesh link per CPU that sends. */
  int cpus() {
    return Cpus.get(a).count();
  }

  /** Node A, where every measurement starts. */
  ActorSystem<Void> nodeA() {
    return a;
  }

  /** On node A: the proxy for node B's probe port. */
  Port<Probe, ProbeReply> probeProxy() {
    return probeProxy;
  }

  /** On node A: the proxy for node B's page sink port. */
  Port<PageBatch, Long> pageProxy() {
    return pageProxy;
  }

  /** On node A: the remote ref of node B's plain actor answering {@link ProbeAsk}s. */
  ActorRef<ProbeAsk> responder() {
    return responder;
  }

  /**
   * Diagnostic, on node A: node B's plain actor taking {@link PageAsk}s, its path listed in
   * {@code large-message-destinations} ({@code large}) or not.
   */
  ActorRef<PageAsk> rawPageSink(boolean large) {
    return large ? largeSink : ordinarySink;
  }

  /** Node A's mesh links (to node B), one per CPU that sent. */
  List<LinkStats> links() {
    return Mesh.get(a).links();
  }

  /**
   * Terminates node B, then node A, waiting for each (B leaves the cluster as it terminates;
   * stopping A meanwhile would only add connection warnings).
   */
  @Override
  public void close() {
    for (ActorSystem<?> s : List.of(b, a)) {
      s.terminate();
      try {
        s.getWhenTerminated().toCompletableFuture()
            .get(TERMINATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        a.terminate();
        return;
      } catch (ExecutionException | TimeoutException e) {
        a.terminate();
        throw new IllegalStateException("node " + s.address() + " did not terminate", e);
      }
    }
  }
}

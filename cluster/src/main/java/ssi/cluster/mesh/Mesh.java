package ssi.cluster.mesh;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.cluster.Member;
import akka.cluster.UniqueAddress;
import akka.cluster.typed.Cluster;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;

/**
 * The node's mesh (an Akka extension): ports published for other nodes, proxy ports for ports on
 * other nodes, one link per (local CPU, remote node), and the two receiving endpoints.
 *
 * <pre>{@code
 * Mesh.get(system).publish("fs.lookup", lookupPort);              // on the node that owns it
 * Port<Lookup, Inode> p = Mesh.get(system).proxy(address, "fs.lookup");   // anywhere
 * Lwkt.domsg(p, Msg.of(new Lookup("etc")));   // same call as for a local port
 * }</pre>
 *
 * <p>A proxy for a port on this node is the published port itself, so {@code domsg} works the
 * same for local and remote ports. A proxy for a node that is not a live member answers every
 * message with EHOSTDOWN. Bodies and replies that cross nodes must be serializable (an
 * {@link ssi.actors.SsiMessage} registered with the Kryo serializer, or a JDK value).
 */
public final class Mesh implements Extension {

  /** Path of the control endpoint on every node. */
  public static final String CONTROL_PATH = "/system/ssi-mesh";
  /** Path of the bulk endpoint; listed in {@code akka.remote.artery.large-message-destinations}. */
  public static final String BULK_PATH = "/system/ssi-mesh-bulk";

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final MeshSettings settings;
  private final MeshCodec codec;
  private final Cluster cluster;
  private final ConcurrentMap<String, Port<Object, Object>> published = new ConcurrentHashMap<>();
  private final ConcurrentMap<ProxyKey, Port<?, ?>> proxies = new ConcurrentHashMap<>();
  private final java.util.Queue<ProxyKey> proxyOrder =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final ConcurrentMap<LinkKey, ActorRef<MeshLink.Command>> links = new ConcurrentHashMap<>();
  private final ConcurrentMap<LinkKey, LinkCounters> linkCounters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, InboundCounters> inbound = new ConcurrentHashMap<>();
  private volatile InboundFilter inboundFilter = InboundFilter.ACCEPT_ALL;

  private record ProxyKey(UniqueAddress node, String port) {
  }

  private record LinkKey(UniqueAddress node, int cpu) {
  }

  private Mesh(ActorSystem<?> system) {
    this.system = system;
    this.settings = MeshSettings.from(system.settings().config());
    this.codec = new MeshCodec(system);
    this.cluster = Cluster.get(system);
    system.systemActorOf(MeshEndpoint.create(this, "control", codec, settings.inboundPerLink()),
        CONTROL_PATH.substring("/system/".length()), Props.empty());
    system.systemActorOf(MeshEndpoint.create(this, "bulk", codec, settings.inboundPerLink()),
        BULK_PATH.substring("/system/".length()), Props.empty());
    publish(EchoPort.NAME, Ports.get(system).register(EchoPort.create(system)));
  }

  /** This node's mesh; the endpoints start on first use (the node starts it at boot). */
  public static Mesh get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The settings in force. */
  public MeshSettings settings() {
    return settings;
  }

  /** Makes {@code port} reachable from other nodes under {@code name}; returns it. */
  @SuppressWarnings("unchecked")
  public <B, R> Port<B, R> publish(String name, Port<B, R> port) {
    Objects.requireNonNull(name, "name");
    Port<?, ?> previous = published.putIfAbsent(name, (Port<Object, Object>) (Port<?, ?>) port);
    if (previous != null && previous != port) {
      throw new IllegalStateException("a port named " + name + " is already published");
    }
    return port;
  }

  /**
   * Publishes {@code port} under {@code name} in place of whatever was there, in one step: a
   * driver that moved leaves a redirecting stub under its old name, and no message may see the
   * name unpublished in between.
   */
  public <B, R> Port<B, R> replace(String name, Port<B, R> port) {
    swap(name, port);
    return port;
  }

  /**
   * Publishes {@code port} under {@code name} in place of whatever was there (as
   * {@link #replace}) and answers what was there, or null.
   */
  @SuppressWarnings("unchecked")
  public Port<?, ?> swap(String name, Port<?, ?> port) {
    return published.put(Objects.requireNonNull(name, "name"), (Port<Object, Object>) port);
  }

  /**
   * Withdraws the port published as {@code name} (messages for it are answered EBADF from now
   * on) and answers it, or null.
   */
  public Port<?, ?> withdraw(String name) {
    return published.remove(name);
  }

  /**
   * Withdraws {@code name} only while it is still {@code port}: a redirecting stub that stops
   * must not withdraw a driver that has since been published under the same name.
   */
  public boolean unpublish(String name, Port<?, ?> port) {
    return published.remove(name, port);
  }

  Port<Object, Object> published(String name) {
    return published.get(name);
  }

  /**
   * The port named {@code port} on node {@code node}: a proxy port (created on first use) when the
   * node is another live member, the published port itself when it is this node.
   */
  @SuppressWarnings("unchecked")
  public <B, R> Port<B, R> proxy(Address node, String port) {
    Member self = cluster.selfMember();
    if (self.address().equals(node)) {
      Port<Object, Object> local = published.get(port);
      return local != null ? (Port<B, R>) (Port<?, ?>) local
          : (Port<B, R>) failing("local:" + port, Errno.EBADF);
    }
    UniqueAddress target = null;
    for (Member m : cluster.state().getMembers()) {
      if (m.address().equals(node)) {
        target = m.uniqueAddress();
      }
    }
    if (target == null || !MeshLink.isLive(cluster.state().getMembers(), target)) {
      return (Port<B, R>) failing("proxy:" + port + "@" + node, Errno.EHOSTDOWN);
    }
    UniqueAddress remote = target;
    ProxyKey key = new ProxyKey(remote, port);
    Port<?, ?> known = proxies.get(key);
    if (known != null) {
      return (Port<B, R>) known;
    }
    Port<?, ?> made = proxies.computeIfAbsent(key, k -> {
      proxyOrder.add(k); // once per proxy made: the order trimProxies drops them in
      return Ports.get(system).register(Port.<Object, Object>builder(
              "proxy:" + port + "@" + remote.address(), PortKind.SERIALIZER)
          .sink(msg -> link(remote, senderCpu()).tell(new MeshLink.Send(msg, port)))
          .build());
    });
    trimProxies();
    return (Port<B, R>) made;
  }

  /**
   * Keeps at most {@code ssi.mesh.max-proxies} proxies (every process's descriptors have port
   * names of their own, so they would otherwise pile up): the oldest made go first. Dropping one
   * is safe — it holds no state; a message sent through it keeps its reply path, and the next
   * {@link #proxy} for that name makes a new one.
   */
  private void trimProxies() {
    while (proxies.size() > settings.maxProxies()) {
      ProxyKey oldest = proxyOrder.poll();
      if (oldest == null) {
        return;
      }
      Port<?, ?> dropped = proxies.remove(oldest);
      if (dropped != null) {
        Ports.get(system).unregister(dropped);
      }
    }
  }

  /** How many proxy ports this node keeps now. */
  public int proxyCount() {
    return proxies.size();
  }

  private static Port<Object, Object> failing(String name, Errno errno) {
    return Port.<Object, Object>builder(name, PortKind.SERIALIZER)
        .agent(msg -> Reply.error(errno))
        .sink(msg -> { })
        .build();
  }

  private int senderCpu() {
    Cpus cpus = Cpus.get(system);
    int cpu = cpus.currentCpu();
    return cpu >= 0 ? cpu : (int) Math.floorMod(Thread.currentThread().getId(), cpus.count());
  }

  ActorRef<MeshLink.Command> link(UniqueAddress node, int cpu) {
    return links.computeIfAbsent(new LinkKey(node, cpu), k -> {
      ActorRefResolver resolver = ActorRefResolver.get(system);
      ActorRef<MeshEndpoint.Command> control =
          resolver.resolveActorRef(node.address().toString() + CONTROL_PATH);
      ActorRef<MeshEndpoint.Command> bulk =
          resolver.resolveActorRef(node.address().toString() + BULK_PATH);
      LinkCounters counters = new LinkCounters(node.address().toString(), cpu, settings.credits());
      linkCounters.put(k, counters);
      String name = "ssi-mesh-link-" + cpu + "-" + node.address().host().getOrElse(() -> "local")
          + "-" + node.address().port().getOrElse(() -> 0) + "-" + Long.toHexString(node.longUid());
      return system.systemActorOf(
          MeshLink.create(node, cpu, settings, codec, control, bulk, counters), name,
          Cpus.get(system).dispatcher(cpu));
    });
  }

  InboundCounters inboundCounters(String from, int cpu, String channel) {
    return inbound.computeIfAbsent(from + "#" + cpu + "#" + channel,
        k -> new InboundCounters(from, cpu, channel));
  }

  InboundFilter inboundFilter() {
    return inboundFilter;
  }

  /** Test hook: requests {@code filter} does not accept are lost on arrival. */
  public void setInboundFilter(InboundFilter filter) {
    this.inboundFilter = Objects.requireNonNull(filter, "filter");
  }

  /** Every outbound link's counters. */
  public List<LinkStats> links() {
    return linkCounters.values().stream().map(LinkCounters::snapshot)
        .sorted(Comparator.comparing(LinkStats::node).thenComparingInt(LinkStats::cpu)).toList();
  }

  /** What the endpoints saw from each remote link. */
  public List<InboundStats> inbound() {
    return inbound.values().stream().map(InboundCounters::snapshot)
        .sorted(Comparator.comparing(InboundStats::from).thenComparingInt(InboundStats::cpu)
            .thenComparing(InboundStats::channel)).toList();
  }

  private static final class Id extends ExtensionId<Mesh> {
    @Override
    public Mesh createExtension(ActorSystem<?> system) {
      return new Mesh(system);
    }
  }
}

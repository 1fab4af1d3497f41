package ssi.actors.bgl;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ssi.actors.ActorsSettings;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.actors.thread.LwktThreads;

/**
 * The node's BGL domains (an Akka extension): the subsystem registry and the one way to run a
 * subsystem's work, {@link #call}. A subsystem listed in {@code ssi.bgl.covered} runs inside the
 * {@link BglDomain}, one operation at a time for the whole node; any other is <em>removed</em> and
 * runs on protocol threads of its own — one per CPU, work hashed by key, when it is listed in
 * {@code ssi.bgl.per-cpu} (as {@code net} is), else a single one.
 *
 * <pre>{@code
 * Domains.get(system).call("net", connectionId, () -> socket.poll())
 *     .thenAccept(reply -> ...);   // Reply.ok(value), or ENOENT / EIO as a value
 * }</pre>
 */
public final class Domains implements Extension {

  /** The BGL's name, as a domain and as a port. */
  public static final String BGL = "bgl";

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final ActorsSettings settings;
  private final Cpus cpus;
  private final ConcurrentHashMap<String, Subsystem> subsystems = new ConcurrentHashMap<>();
  private final Port<DomainCall, Object> bgl;

  private Domains(ActorSystem<?> system) {
    this.system = system;
    this.settings = ActorsSettings.from(system.settings().config());
    this.cpus = Cpus.get(system);
    ActorRef<BglDomain.Command> ref = system.systemActorOf(BglDomain.create(subsystems),
        "ssi-bgl", DispatcherSelector.defaultDispatcher());
    this.bgl = Ports.get(system).register(Port.<DomainCall, Object>builder(BGL, PortKind.SERIALIZER)
        .actor(ref, BglDomain.Run::new).build());
    for (String name : settings.bglSubsystems()) {
      register(name);
    }
  }

  /** This node's domains, started on first use with the subsystems of {@code ssi.bgl.subsystems}. */
  public static Domains get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Registers a subsystem (idempotent); its coverage comes from {@code ssi.bgl.covered} and
   * {@code ssi.bgl.per-cpu}. Returns whether it is covered by the BGL.
   */
  public synchronized boolean register(String name) {
    Subsystem existing = subsystems.get(name);
    if (existing != null) {
      return existing.covered;
    }
    Subsystem s;
    if (settings.bglCovered().contains(name)) {
      s = new Subsystem(name, true, List.of(bgl), List.of(BGL));
    } else {
      List<Port<DomainCall, Object>> ports = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (settings.bglPerCpu().contains(name)) {
        for (int cpu = 0; cpu < cpus.count(); cpu++) {
          ports.add(protocolThread(name + "-" + cpu, cpu));
          names.add(name + "-" + cpu);
        }
      } else {
        ports.add(protocolThread(name, cpus.cpuFor(name)));
        names.add(name);
      }
      s = new Subsystem(name, false, ports, names);
    }
    subsystems.put(name, s);
    return s.covered;
  }

  /** Whether {@code subsystem} is registered and covered by the BGL. */
  public boolean covered(String subsystem) {
    Subsystem s = subsystems.get(subsystem);
    return s != null && s.covered;
  }

  /**
   * Runs {@code op} in the domain of {@code subsystem}: the BGL if covered, else the subsystem's
   * protocol thread for {@code key}. The reply is the op's value, {@link Errno#EIO} if it threw,
   * or {@link Errno#ENOENT} (inline) for an unknown subsystem.
   */
  @SuppressWarnings("unchecked")
  public <T> CompletionStage<Reply<T>> call(String subsystem, Object key, Supplier<T> op) {
    Subsystem s = subsystems.get(subsystem);
    if (s == null) {
      return CompletableFuture.completedFuture(Reply.error(Errno.ENOENT));
    }
    Port<DomainCall, Object> port = s.ports.size() == 1 ? s.ports.get(0)
        : s.ports.get(cpus.cpuFor(key));
    CompletionStage<?> reply = port.domsg(Msg.of(new DomainCall(subsystem, key, op, System.nanoTime())));
    return (CompletionStage<Reply<T>>) reply;
  }

  /** Every subsystem's coverage and figures, by name. */
  public List<SubsystemStats> stats() {
    return subsystems.values().stream().map(Subsystem::stats)
        .sorted(Comparator.comparing(SubsystemStats::name)).toList();
  }

  private Port<DomainCall, Object> protocolThread(String name, int cpu) {
    return LwktThreads.<DomainCall, Object>spawn(system, name, cpu,
        msg -> DomainRunner.run(msg, subsystems)).port();
  }

  private static final class Id extends ExtensionId<Domains> {
    @Override
    public Domains createExtension(ActorSystem<?> system) {
      return new Domains(system);
    }
  }
}

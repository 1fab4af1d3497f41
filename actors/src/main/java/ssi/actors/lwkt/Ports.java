package ssi.actors.lwkt;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The node's port registry (an Akka extension): every registered port's counters, for
 * {@code /ssi/ports}, and {@code domsg} with a deadline.
 *
 * <pre>{@code
 * Port<Get, Integer> port = Ports.get(system).register(Port.<Get, Integer>builder(...).build());
 * }</pre>
 */
public final class Ports implements Extension {

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final ConcurrentMap<Long, Port<?, ?>> ports = new ConcurrentHashMap<>();

  private Ports(ActorSystem<?> system) {
    this.system = system;
  }

  /** This node's registry. */
  public static Ports get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Lists {@code port} until it is closed; returns it. */
  public <B, R> Port<B, R> register(Port<B, R> port) {
    ports.put(port.id(), port);
    port.onClose(() -> ports.remove(port.id()));
    return port;
  }

  /** Stops listing {@code port} (it stays usable: e.g. a proxy the mesh no longer caches). */
  public void unregister(Port<?, ?> port) {
    ports.remove(port.id(), port);
  }

  /** Every registered port's counters. */
  public List<PortStats> all() {
    return ports.values().stream().map(Port::stats).toList();
  }

  /** The {@code n} busiest registered ports (by messages sent), busiest first. */
  public List<PortStats> top(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("top must be >= 0, got " + n);
    }
    return ports.values().stream().map(Port::stats)
        .sorted(Comparator.comparingLong(PortStats::sent).reversed()
            .thenComparing(PortStats::name))
        .limit(n)
        .toList();
  }

  /** How many ports are registered. */
  public int size() {
    return ports.size();
  }

  /**
   * {@code domsg} with a deadline: if no reply has come after {@code timeout}, the message ends
   * with {@link Errno#ETIMEDOUT} (state {@link MsgState#TIMED_OUT}) and a late reply is refused.
   */
  public <B, R> CompletionStage<Reply<R>> domsg(Port<B, R> port, Msg<B, R> msg, Duration timeout) {
    CompletionStage<Reply<R>> reply = port.domsg(msg);
    if (!reply.toCompletableFuture().isDone()) {
      Cancellable timer = system.classicSystem().scheduler().scheduleOnce(timeout,
          msg::timeout, system.executionContext());
      reply.whenComplete((r, e) -> timer.cancel());
    }
    return reply;
  }

  private static final class Id extends ExtensionId<Ports> {
    @Override
    public Ports createExtension(ActorSystem<?> system) {
      return new Ports(system);
    }
  }
}

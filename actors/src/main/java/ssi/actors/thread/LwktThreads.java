package ssi.actors.thread;

import akka.actor.typed.ActorSystem;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import ssi.actors.ActorsSettings;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;

/**
 * Starts LWKT threads: an actor on one CPU's dispatcher, with a thread port that only it receives
 * from.
 *
 * <pre>{@code
 * LwktThreadHandle<Req, Res> t = LwktThreads.spawn(system, "netisr", 0, msg -> Lwkt.replyValue(msg, ...));
 * Lwkt.domsg(t.port(), Msg.of(req));
 * t.moveTo(1, Duration.ofSeconds(3));
 * }</pre>
 */
public final class LwktThreads {

  private static final AtomicLong INCARNATIONS = new AtomicLong();

  private LwktThreads() {
  }

  /** Starts thread {@code name} on CPU {@code cpu}; its port is registered with {@link Ports}. */
  public static <B, R> LwktThreadHandle<B, R> spawn(ActorSystem<?> system, String name, int cpu,
      ThreadBody<B, R> body) {
    Cpus cpus = Cpus.get(system);
    ActorsSettings settings = ActorsSettings.from(system.settings().config());
    LwktThreadHandle<B, R> handle = new LwktThreadHandle<>(name, system);
    Port<B, R> port = Port.<B, R>builder("thread:" + name, PortKind.THREAD)
        .sink(handle::deliver)
        .receiverCheck(() -> {
          if (cpus.currentCpu() != handle.cpu()) {
            throw new IllegalStateException("thread port of " + name + " is received on cpu "
                + handle.cpu() + " only, not on " + Thread.currentThread().getName());
          }
        })
        .build();
    handle.port(port);
    @SuppressWarnings("unchecked")
    ThreadBody<Object, Object> erased = (ThreadBody<Object, Object>) (ThreadBody<?, ?>) body;
    handle.place(system.systemActorOf(
        LwktThread.create(handle, erased, cpu, settings, 0, new TreeMap<>()), actorName(name), cpus.dispatcher(cpu)),
        cpu);
    cpus.ipi(cpu, c -> c.bindThread(name));
    Ports.get(system).register(port);
    return handle;
  }

  static String actorName(String name) {
    return "lwkt-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + INCARNATIONS.incrementAndGet();
  }
}

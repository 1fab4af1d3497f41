package ssi.actors.cpu;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;

/**
 * One CPU: an actor alone on its single-thread dispatcher {@code ssi-cpu-N}, owning that CPU's
 * {@link CpuState}. It runs IPIs: it drains its incoming IPI FIFOs when woken, after every
 * message, and at every tick ({@code ssi.ipi.tick}), which is when batched passive IPIs run.
 * Created by {@link Cpus}; other code talks to a CPU through {@link Cpus#ipi}.
 *
 * <p>Supervision: an IPI op that throws is a bug in the op; it is logged and the CPU goes on,
 * since its state (owned by {@link Cpus}) outlives any restart anyway.
 */
public final class Cpu extends AbstractBehavior<Cpu.Command> {

  /**
   * The CPU's protocol. Node-local: it carries code (IPI ops), so it never crosses nodes and is
   * not an {@code SsiMessage}; it opts out of Akka's serialization checks instead.
   */
  public interface Command extends NoSerializationVerificationNeeded {
  }

  /** A sender put work in one of this CPU's FIFOs. */
  enum Wake implements Command { INSTANCE }

  /** Periodic: drain passive IPIs, retry backlogs. */
  private enum Tick implements Command { INSTANCE }

  /** An op from a thread that is not a CPU (no FIFO of its own); run in mailbox order. */
  record Run(Ipi op) implements Command {
  }

  /**
   * Asks for this CPU's counters.
   *
   * @param replyTo gets the snapshot
   */
  public record GetStats(ActorRef<CpuStats> replyTo) implements Command {
  }

  private final CpuState state;
  private final Cpus cpus;

  private Cpu(ActorContext<Command> context, CpuState state, Cpus cpus) {
    super(context);
    this.state = state;
    this.cpus = cpus;
  }

  static Behavior<Command> create(CpuState state, Cpus cpus, Duration tick) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      state.bind();
      timers.startTimerWithFixedDelay(Tick.INSTANCE, tick);
      return new Cpu(context, state, cpus);
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wake.class, w -> onWake())
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Run.class, this::onRun)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onWake() {
    cpus.woken(state);
    return this;
  }

  private Behavior<Command> onTick() {
    state.add(CpuState.Counter.TICKS, 1);
    cpus.drain(state);
    return this;
  }

  private Behavior<Command> onRun(Run run) {
    state.add(CpuState.Counter.EXTERNAL_RUNS, 1);
    state.add(CpuState.Counter.OPS_RUN, 1);
    cpus.run(state, run.op());
    cpus.drain(state);
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    cpus.drain(state);
    get.replyTo().tell(state.stats());
    return this;
  }
}

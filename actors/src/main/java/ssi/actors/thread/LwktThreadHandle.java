package ssi.actors.thread;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;

/**
 * How the rest of the node holds an LWKT thread: its thread port, the CPU it is on now, and
 * {@link #moveTo}. Created by {@link LwktThreads#spawn}.
 *
 * @param <B> the body type of the thread port's messages
 * @param <R> the reply value type
 */
public final class LwktThreadHandle<B, R> {

  /** The thread's actor and CPU, swapped together when it moves. */
  record Placement(ActorRef<LwktThread.Command> ref, int cpu) {
  }

  private final String name;
  private final ActorSystem<?> system;
  private final AtomicReference<Placement> placement = new AtomicReference<>();
  private final AtomicLong sequence = new AtomicLong();
  private Port<B, R> port;

  LwktThreadHandle(String name, ActorSystem<?> system) {
    this.name = name;
    this.system = system;
  }

  /** The thread's name (unique on the node). */
  public String name() {
    return name;
  }

  /** The thread port: only this thread, on its CPU, takes messages from it. */
  public Port<B, R> port() {
    return port;
  }

  /** The CPU the thread is bound to now. */
  public int cpu() {
    return placement.get().cpu();
  }

  /**
   * Moves the thread to CPU {@code target} by an IPI hand-off; completes with the new CPU. Messages
   * sent meanwhile are neither lost nor reordered: the old actor holds them and passes them on.
   */
  public CompletionStage<Integer> moveTo(int target, Duration timeout) {
    return AskPattern.ask(placement.get().ref(),
        (ActorRef<Integer> replyTo) -> new LwktThread.MoveTo(target, replyTo),
        timeout, system.scheduler());
  }

  void port(Port<B, R> p) {
    this.port = p;
  }

  void place(ActorRef<LwktThread.Command> ref, int cpu) {
    placement.set(new Placement(ref, cpu));
  }

  /** The port's sink: numbers the message, then sends it wherever the thread is now. */
  void deliver(Msg<B, R> msg) {
    long seq = sequence.getAndIncrement();
    placement.get().ref().tell(new LwktThread.Deliver(seq, msg));
  }

  ActorRef<LwktThread.Command> ref() {
    return placement.get().ref();
  }
}

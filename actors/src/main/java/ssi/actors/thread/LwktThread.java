package ssi.actors.thread;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.TreeMap;
import ssi.actors.ActorsSettings;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;

/**
 * An LWKT thread: an actor on one CPU's dispatcher that takes the messages of its thread port and
 * runs its {@link ThreadBody} on them, one at a time, on that CPU's thread.
 *
 * <p>Moving to another CPU is an IPI hand-off, because an actor cannot change dispatcher: the old
 * actor stops taking messages and holds new ones; an IPI runs on the target CPU, puts the thread on
 * that CPU's run queue and starts a new actor there with the same body (the thread's state); the
 * thread port is re-pointed at it; the old actor passes on what it held and, for
 * {@code ssi.thread.forward-linger}, whatever else was already on its way. The port stamps every
 * message with a sequence number and a thread runs them strictly in that order (holding early
 * arrivals), so the mix of forwarded and direct messages after a move never reorders anything.
 *
 * <p>Supervision: a body that throws is a bug; the message is answered {@link Errno#EIO} (if it
 * had no reply yet) and the thread goes on.
 */
public final class LwktThread extends AbstractBehavior<LwktThread.Command> {

  /** The thread's protocol; node-local (it carries messages with their reply paths). */
  public interface Command extends NoSerializationVerificationNeeded {
  }

  /** A message from the thread port, with the port's sequence number. */
  record Deliver(long seq, Msg<?, ?> msg) implements Command {
  }

  /**
   * Moves the thread to another CPU.
   *
   * @param cpu the target CPU
   * @param replyTo gets the CPU the thread is on afterwards
   */
  public record MoveTo(int cpu, ActorRef<Integer> replyTo) implements Command {
  }

  /** From the target CPU's IPI: the new actor exists and the port points at it. */
  private record HandedOff(ActorRef<Command> next, int cpu, ActorRef<Integer> replyTo)
      implements Command {
  }

  /** The forwarder's linger is over. */
  private enum Linger implements Command { INSTANCE }

  private final LwktThreadHandle<?, ?> handle;
  private final ThreadBody<Object, Object> body;
  private final int cpu;
  private final ActorsSettings settings;
  private final StashBuffer<Command> stash;
  private final Cpus cpus;
  private final TreeMap<Long, Msg<?, ?>> early;
  private long next;

  private LwktThread(ActorContext<Command> context, LwktThreadHandle<?, ?> handle,
      ThreadBody<Object, Object> body, int cpu, ActorsSettings settings, StashBuffer<Command> stash,
      long next, TreeMap<Long, Msg<?, ?>> early) {
    super(context);
    this.handle = handle;
    this.body = body;
    this.cpu = cpu;
    this.settings = settings;
    this.stash = stash;
    this.cpus = Cpus.get(context.getSystem());
    this.next = next;
    this.early = early;
  }

  static Behavior<Command> create(LwktThreadHandle<?, ?> handle, ThreadBody<Object, Object> body,
      int cpu, ActorsSettings settings, long next, TreeMap<Long, Msg<?, ?>> early) {
    return Behaviors.withStash(settings.threadStashCapacity(), stash -> Behaviors.setup(context ->
        new LwktThread(context, handle, body, cpu, settings, stash, next, early)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(MoveTo.class, this::onMoveTo)
        .build();
  }

  private Behavior<Command> onDeliver(Deliver d) {
    if (d.seq() != next) {
      early.put(d.seq(), d.msg()); // a sender that took an earlier number has not arrived yet
      return this;
    }
    run(d.msg());
    next++;
    for (Msg<?, ?> m = early.remove(next); m != null; m = early.remove(next)) {
      run(m);
      next++;
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private void run(Msg<?, ?> m) {
    Msg<Object, Object> msg = (Msg<Object, Object>) m;
    if (msg.begin()) {
      try {
        body.handle(msg);
      } catch (RuntimeException e) {
        getContext().getLog().error("LWKT thread {} failed on {}", handle.name(), msg, e);
        Lwkt.replymsg(msg, Errno.EIO);
      }
    }
  }

  private Behavior<Command> onMoveTo(MoveTo move) {
    if (move.cpu() == cpu || move.cpu() < 0 || move.cpu() >= cpus.count()) {
      move.replyTo().tell(cpu); // already there, or nowhere to go: stays put
      return this;
    }
    ActorRef<Command> self = getContext().getSelf();
    int target = move.cpu();
    String name = handle.name();
    long resumeAt = next;
    TreeMap<Long, Msg<?, ?>> held = early; // handed over with the body; this actor is done with them
    cpus.ipi(cpu, c -> c.unbindThread(name));
    cpus.ipi(target, c -> {
      c.bindThread(name);
      ActorRef<Command> successor = c.system().systemActorOf(
          create(handle, body, target, settings, resumeAt, held), LwktThreads.actorName(name),
          cpus.dispatcher(target));
      handle.place(successor, target);
      self.tell(new HandedOff(successor, target, move.replyTo()));
    });
    return moving();
  }

  /** Old actor, between the move request and the hand-off: hold everything. */
  private Behavior<Command> moving() {
    return newReceiveBuilder()
        .onMessage(HandedOff.class, this::onHandedOff)
        .onAnyMessage(m -> {
          stash.stash(m);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onHandedOff(HandedOff h) {
    h.replyTo().tell(h.cpu());
    getContext().setReceiveTimeout(settings.threadForwardLinger(), Linger.INSTANCE);
    return stash.unstashAll(forwarding(h.next())); // passes the held messages on
  }

  /** Old actor after the hand-off: pass on stragglers, then stop. */
  private Behavior<Command> forwarding(ActorRef<Command> successor) {
    return newReceiveBuilder()
        .onMessage(Linger.class, l -> Behaviors.stopped())
        .onAnyMessage(m -> {
          successor.tell(m);
          return Behaviors.same();
        })
        .build();
  }
}

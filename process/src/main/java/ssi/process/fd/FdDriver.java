package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import ssi.actors.lwkt.Errno;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.cluster.mesh.Mesh;
import ssi.process.ProcessSettings;

/**
 * The protocol every fd driver speaks, and where drivers are made. A driver is a child actor of
 * its process; the process sends it {@link FdOp}s through the driver's port (published on the
 * mesh, so the process reaches it by proxy port from another node) and moves it with
 * {@link Quiesce} and {@link MovedTo}:
 * <ol>
 *   <li>{@code Quiesce}: the driver finishes the operation in hand, holds new ones, and answers
 *       its whole state ({@link Quiesced});</li>
 *   <li>the process builds the driver again from that state on its new node
 *       ({@link #create}), which publishes the same port name there;</li>
 *   <li>{@code MovedTo}: the old driver answers every held operation "moved to" (nothing done,
 *       the sender re-sends to the new node), leaves a redirecting stub under its port name and
 *       stops; a tty hands what its terminal side sent meanwhile to the new driver.</li>
 * </ol>
 * So no operation is lost (held ones are re-sent), none is applied twice (a held one was not
 * applied), and per-fd order is kept (a process has one operation in flight at a time).
 */
public final class FdDriver {

  private FdDriver() {
  }

  /** What a driver actor takes. */
  public interface Command extends SsiMessage {
  }

  /** An operation queued to the driver's port (local: the mesh delivers it on this node). */
  public record Op(Msg<FdOp, FdResult> msg) implements Command, NoSerializationVerificationNeeded {
  }

  /** Stop taking operations and hand over the state. */
  public record Quiesce(ActorRef<Quiesced> replyTo) implements Command {
  }

  /** A quiesced driver's state. */
  public record Quiesced(DriverState state) implements SsiMessage {
  }

  /**
   * The driver now runs on {@code node} as {@code driver}: redirect and stop (a tty forwards its
   * terminal side's messages to {@code driver}).
   */
  public record MovedTo(String node, ActorRef<Command> driver) implements Command {
  }

  /** The descriptor was closed (or its process ended): withdraw the port and stop. */
  public record Release() implements Command {
  }

  /** Terminal side of a tty: bytes typed by the user (answers how many were taken). */
  public record TtyInput(byte[] bytes, ActorRef<Reply<Integer>> replyTo) implements Command {
  }

  /** Terminal side of a tty: output from byte {@code from} on. */
  public record TtyOutput(long from, ActorRef<TtyView> replyTo) implements Command {
  }

  /** What a terminal shows from an offset: the text, the offset after it, whether it closed. */
  public record TtyView(String output, long next, boolean closed) implements SsiMessage {
  }

  /**
   * What a tty tells its process when ^C is typed: deliver SIGINT. It never crosses nodes — a
   * driver always runs on the node of the process actor that started it (the process's shell
   * there, after the core moved, passes the signal on to the node running the process).
   */
  public enum Interrupt implements NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * Starts the driver for {@code state} as a child of {@code parent} and publishes its port at
   * once, so an operation sent right after cannot find the name missing; a tty tells
   * {@code owner} (the process, on this node) when ^C is typed.
   */
  public static ActorRef<Command> spawn(ActorContext<?> parent, DriverState state,
      ProcessSettings settings, ActorRef<Interrupt> owner) {
    ActorRef<Command> ref = parent.spawnAnonymous(create(state, settings, owner));
    publish(parent.getSystem(), state.port(), ref);
    return ref;
  }

  /** {@link #spawn(ActorContext, DriverState, ProcessSettings, ActorRef)} of a driver not a tty. */
  public static ActorRef<Command> spawn(ActorContext<?> parent, DriverState state,
      ProcessSettings settings) {
    return spawn(parent, state, settings, null);
  }

  /** A driver for {@code state}, on this node (its port is published by {@link #spawn}). */
  static Behavior<Command> create(DriverState state, ProcessSettings settings,
      ActorRef<Interrupt> owner) {
    if (state instanceof DriverState.File f) {
      return FileDriver.create(f);
    } else if (state instanceof DriverState.PipeRead p) {
      return PipeReader.create(p, settings);
    } else if (state instanceof DriverState.PipeWrite w) {
      return PipeWriter.create(w);
    } else if (state instanceof DriverState.Socket s) {
      return s.listening() ? SocketListener.create(s, settings)
          : SocketConnection.create(s, settings);
    }
    return TtyDriver.create((DriverState.Tty) state, settings, owner);
  }

  /** Publishes the driver's port under {@code name} (replacing a stub a move left there). */
  static Port<FdOp, FdResult> publish(ActorSystem<?> system, String name,
      ActorRef<Command> self) {
    Port<FdOp, FdResult> port = Port.<FdOp, FdResult>builder(name, PortKind.SERIALIZER)
        .actor(self, Op::new).build();
    return Mesh.get(system).replace(name, Ports.get(system).register(port));
  }

  /** Leaves a stub under {@code name} that answers every operation "moved to {@code node}". */
  static void redirect(ActorSystem<?> system, String name, String node) {
    FdResult moved = FdResult.moved(node);
    Mesh.get(system).replace(name, Port.<FdOp, FdResult>builder(name + " (moved)",
            PortKind.SERIALIZER)
        .agent(m -> Reply.ok(moved))
        .sink(m -> Lwkt.replymsg(m, Reply.ok(moved)))
        .build());
  }

  /**
   * How long a driver that moved or was released goes on answering operations that were already
   * on their way to it (queued to its actor before its port changed) before it stops: without
   * it they would reach a stopped actor and their senders would wait for a timeout.
   */
  static final java.time.Duration LINGER = java.time.Duration.ofSeconds(5);

  /**
   * What a driver becomes once it moved or was released: it answers every operation with
   * {@code answer} for {@link #LINGER}, then stops.
   */
  static Behavior<Command> linger(Reply<FdResult> answer) {
    return linger(answer, null);
  }

  /**
   * {@link #linger(Reply)}, passing the terminal side's messages on to {@code successor} (a tty
   * that moved: a user attached through the old driver keeps typing and reading) when not null.
   */
  static Behavior<Command> linger(Reply<FdResult> answer, ActorRef<Command> successor) {
    return Behaviors.withTimers(timers -> {
      timers.startSingleTimer(Lingered.INSTANCE, LINGER);
      return Behaviors.receive(Command.class)
          .onMessage(Op.class, op -> {
            Lwkt.replymsg(op.msg(), answer);
            return Behaviors.same();
          })
          .onMessage(TtyOutput.class, o -> {
            if (successor != null) {
              successor.tell(o);
            } else {
              o.replyTo().tell(new TtyView("", o.from(), true));
            }
            return Behaviors.same();
          })
          .onMessage(TtyInput.class, i -> {
            if (successor != null) {
              successor.tell(i);
            } else {
              i.replyTo().tell(Reply.error(Errno.EBADF));
            }
            return Behaviors.same();
          })
          .onMessageEquals(Lingered.INSTANCE, Behaviors::stopped)
          .onAnyMessage(m -> Behaviors.same())
          .build();
    });
  }

  private enum Lingered implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * How a driver ends when it moved to {@code node} (DESIGN §10 step 3): a redirecting stub
   * under its port name, the operations it held answered "moved" (their senders re-send them
   * there), then {@link #linger}.
   */
  static Behavior<Command> movedAway(ActorSystem<?> system, String port, String node,
      java.util.Collection<Msg<FdOp, FdResult>> held) {
    return movedAway(system, port, node, held, null);
  }

  /** {@link #movedAway(ActorSystem, String, String, java.util.Collection)} of a tty. */
  static Behavior<Command> movedAway(ActorSystem<?> system, String port, String node,
      java.util.Collection<Msg<FdOp, FdResult>> held, ActorRef<Command> successor) {
    redirect(system, port, node);
    Reply<FdResult> moved = Reply.ok(FdResult.moved(node));
    held.forEach(m -> Lwkt.replymsg(m, moved));
    return linger(moved, successor);
  }

  /**
   * How a driver ends when its descriptor is closed: its port withdrawn, the operations it held
   * answered {@code heldErrno}, then {@link #linger} answering EBADF.
   */
  static Behavior<Command> released(ActorSystem<?> system, String port,
      java.util.Collection<Msg<FdOp, FdResult>> held, Errno heldErrno) {
    withdraw(system, port);
    held.forEach(m -> Lwkt.replymsg(m, heldErrno));
    return linger(Reply.error(Errno.EBADF));
  }

  /** Withdraws {@code name}: operations for it are answered EBADF from now on. */
  static void withdraw(ActorSystem<?> system, String name) {
    Mesh.get(system).unpublish(name);
  }

  /** This node's address as the fd table records it. */
  public static String selfNode(ActorSystem<?> system) {
    return akka.cluster.typed.Cluster.get(system).selfMember().address().toString();
  }
}

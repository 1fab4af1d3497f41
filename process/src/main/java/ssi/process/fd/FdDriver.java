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
 *       the sender re-sends to the new node) and becomes a {@link RedirectStub} under its port
 *       name, which answers "moved to" until every party that may still use the old address has
 *       said it knows the new one ({@link FdOp.Informed}: the process that drove the move, and
 *       a pipe's other end once the new driver has told it) or it was idle for
 *       {@code ssi.process.redirect-idle-timeout}; then the name is withdrawn. A tty's stub hands
 *       what its terminal side sends to the new driver.</li>
 * </ol>
 * So no operation is lost (held ones are re-sent), none is applied twice (a held one was not
 * applied), and per-fd order is kept (a process has one operation in flight at a time). A
 * sender that finds the name gone (EBADF) or its node gone (EHOSTDOWN) asks the owning process
 * where the driver is now ({@link Locator}) before it concludes the driver is gone.
 *
 * <p>A quiesce the process gives up on (its ask timed out) is undone with {@link Resume}; a
 * quiesced driver that hears neither {@code MovedTo} nor {@code Resume} within twice
 * {@code ssi.process.ask-timeout} resumes by itself. Either way it <i>un-quiesces</i>: the
 * operations it held fail with EIO (their senders were told nothing else) and it serves again
 * from where it is, with its state unchanged.
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

  /**
   * The move is given up (the quiesce timed out): serve again from here; the operations held
   * meanwhile fail with EIO. Also what a quiesced driver tells itself after
   * {@link #quiesceDeadline}.
   */
  public record Resume() implements Command {
  }

  /** A pipe end's state now, without quiescing it (pipe drivers answer; for inspection). */
  public record Describe(ActorRef<DriverState> replyTo) implements Command {
  }

  /**
   * Where the driver of a port is now: the address of the live node serving it, or empty when
   * no live driver serves it (its process ended, closed the descriptor, or died with its node).
   * The process layer answers it from the owning process's fd table (the pid is in the port
   * name); a pipe end asks it when the other end's old address no longer answers.
   */
  @FunctionalInterface
  public interface Locator {
    /** The node serving {@code port} now, if any. */
    java.util.concurrent.CompletionStage<java.util.Optional<String>> locate(String port);
  }

  /** A locator that never finds anything (drivers whose peers never move). */
  static final Locator NOWHERE = port -> java.util.concurrent.CompletableFuture.completedFuture(
      java.util.Optional.empty());

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
   * once, so an operation sent right after cannot find the name missing.
   */
  public static ActorRef<Command> spawn(ActorContext<?> parent, DriverState state,
      ProcessSettings settings) {
    return spawn(parent, state, settings, null, NOWHERE, null);
  }

  /**
   * Like {@link #spawn(ActorContext, DriverState, ProcessSettings)} for a driver whose peers it
   * may have to find again ({@code locator}); {@code movedFrom} is the node of the driver this
   * one replaces (its state came from there; null for a new descriptor): a pipe end tells its
   * other end it moved, and the stub left on {@code movedFrom} that it did. A tty tells
   * {@code owner} (the process, on this node) when ^C is typed.
   */
  public static ActorRef<Command> spawn(ActorContext<?> parent, DriverState state,
      ProcessSettings settings, ActorRef<Interrupt> owner, Locator locator, String movedFrom) {
    ActorRef<Command> ref = parent.spawnAnonymous(create(state, settings, owner, locator,
        movedFrom));
    publish(parent.getSystem(), state.port(), ref);
    return ref;
  }

  /** A driver for {@code state}, on this node (its port is published by {@link #spawn}). */
  static Behavior<Command> create(DriverState state, ProcessSettings settings,
      ActorRef<Interrupt> owner, Locator locator, String movedFrom) {
    if (state instanceof DriverState.File f) {
      return FileDriver.create(f, settings);
    } else if (state instanceof DriverState.PipeRead p) {
      return PipeReader.create(p, settings, locator, movedFrom);
    } else if (state instanceof DriverState.PipeWrite w) {
      return PipeWriter.create(w, settings, locator, movedFrom);
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

  /**
   * How long a quiesced driver waits for {@link MovedTo} or {@link Resume} before it resumes by
   * itself: twice the ask timeout, so the process, which builds the new driver only from a state
   * that reached it within one ask timeout, has sent {@code MovedTo} long before.
   */
  static java.time.Duration quiesceDeadline(ProcessSettings settings) {
    return settings.askTimeout().multipliedBy(2);
  }

  /** The timer key of {@link #quiesceDeadline} (a driver's timers are the actor's). */
  static final String QUIESCE_TIMER = "quiesce-deadline";

  /** Fails the operations a driver held while quiesced (its move was given up) with EIO. */
  static void failHeld(java.util.Collection<Msg<FdOp, FdResult>> held) {
    held.forEach(m -> Lwkt.replymsg(m, Errno.EIO));
    held.clear();
  }

  /** How many redirecting stubs this node has now (their ports are listed in /ssi/ports). */
  public static long liveStubs(ActorSystem<?> system) {
    return Ports.get(system).all().stream()
        .filter(p -> !p.closed() && p.name().endsWith(RedirectStub.SUFFIX)).count();
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
   * How a driver ends when it moved ({@code m}; DESIGN §10 step 3): the operations it held
   * answered "moved" (their senders re-send them there; a party's {@link FdOp.Informed} that
   * came early is counted), then a {@link RedirectStub} under its port name waiting for
   * {@code parties}. {@code gen} is the incarnation of the driver it moved to.
   */
  static Behavior<Command> movedAway(String port, MovedTo m, long gen,
      java.util.Collection<Msg<FdOp, FdResult>> held, java.util.Set<String> parties) {
    java.util.Set<String> waiting = new java.util.HashSet<>(parties);
    Reply<FdResult> moved = Reply.ok(FdResult.moved(m.node(), gen));
    for (Msg<FdOp, FdResult> msg : held) {
      if (msg.body() instanceof FdOp.Informed i) {
        waiting.remove(i.party());
        Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
      } else {
        if (msg.body() instanceof FdOp.PeerAt p) { // the "moved" answer tells that peer
          waiting.remove(p.port());
        }
        Lwkt.replymsg(msg, moved);
      }
    }
    return RedirectStub.create(port, m.node(), gen, waiting, m.driver());
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
    Port<?, ?> was = Mesh.get(system).withdraw(name);
    if (was != null) {
      was.close(); // out of this node's port registry (/ssi/ports) too
    }
  }

  /** This node's address as the fd table records it. */
  public static String selfNode(ActorSystem<?> system) {
    return akka.cluster.typed.Cluster.get(system).selfMember().address().toString();
  }
}

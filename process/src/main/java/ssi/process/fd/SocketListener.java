package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Reply;
import ssi.process.ProcessSettings;

/**
 * The {@code socket} driver of a listening TCP socket. {@link Accept} blocks like a pipe read:
 * the driver polls its channel ({@link Sockets}, on the {@code net} protocol threads) and answers
 * the new connection, or EAGAIN after {@code ssi.process.block-poll} so the process reaches a step
 * boundary. Each accepted connection gets a {@link SocketConnection} driver, started here as this
 * driver's child (the channel lives on this node, wherever the process runs now) and published
 * under the port name the process chose for its new descriptor.
 *
 * <p>A socket never moves (DESIGN §10 step 3): after a migration the process reaches this
 * driver, and its connections, through their proxy ports. Released (closed, or its process
 * ended), the listening channel closes at once; the actor stays until its connections have been
 * released too, since they are its children. Operations other than accept answer EINVAL.
 */
public final class SocketListener extends AbstractBehavior<FdDriver.Command> {

  /**
   * Accept one connection as descriptor {@code fd}, its driver published as {@code port};
   * answered with the descriptor's {@link FdRef}, EAGAIN when none came in time.
   */
  public record Accept(int fd, String port, ActorRef<Reply<FdRef>> replyTo)
      implements FdDriver.Command {
  }

  private record Polled(long seq, Reply<Sockets.Connection> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private record PollAgain(long seq)
      implements FdDriver.Command, akka.actor.NoSerializationVerificationNeeded {
  }

  private final ProcessSettings settings;
  private final TimerScheduler<FdDriver.Command> timers;
  private final Sockets sockets;
  private final DriverState.Socket state;
  private Accept pending;
  private long deadline;
  private long seq;
  private boolean released;

  static Behavior<FdDriver.Command> create(DriverState.Socket state, ProcessSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new SocketListener(ctx, t, state,
        settings)));
  }

  private SocketListener(ActorContext<FdDriver.Command> ctx,
      TimerScheduler<FdDriver.Command> timers, DriverState.Socket state,
      ProcessSettings settings) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.sockets = Sockets.get(ctx.getSystem());
    this.state = state;
  }

  /**
   * Asks {@code listener} for a connection as descriptor {@code fd} (port {@code port}); EIO
   * when the listener's node does not answer within {@code timeout}.
   */
  public static CompletionStage<Reply<FdRef>> accept(ActorSystem<?> system,
      ActorRef<FdDriver.Command> listener, int fd, String port, Duration timeout) {
    return AskPattern.<FdDriver.Command, Reply<FdRef>>ask(listener,
            r -> new Accept(fd, port, r), timeout, system.scheduler())
        .exceptionally(e -> Reply.error(Errno.EIO)); // its node is gone: no hang
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Accept.class, this::onAccept)
        .onMessage(PollAgain.class, p -> p.seq() == seq ? poll() : this)
        .onMessage(Polled.class, this::onPolled)
        .onMessage(FdDriver.Op.class, op -> {
          Lwkt.replymsg(op.msg(), released ? Errno.EBADF : Errno.EINVAL);
          return this;
        })
        .onMessage(FdDriver.Release.class, r -> onRelease())
        .onSignal(Terminated.class, t -> released ? stopWhenChildless() : this)
        .onSignal(PostStop.class, s -> {
          sockets.close(state.channel());
          return this;
        })
        .build();
  }

  private Behavior<FdDriver.Command> onAccept(Accept a) {
    if (released) {
      a.replyTo().tell(Reply.error(Errno.EBADF));
      return this;
    }
    if (pending != null) {
      pending.replyTo().tell(Reply.error(Errno.EAGAIN)); // superseded: its sender gave up
    }
    pending = a;
    deadline = System.nanoTime() + settings.blockPoll().toNanos();
    ++seq;
    return poll();
  }

  private Behavior<FdDriver.Command> poll() {
    long s = seq;
    getContext().pipeToSelf(sockets.accept(state.channel()),
        (r, e) -> new Polled(s, r != null ? r : Reply.error(Errno.EIO)));
    return this;
  }

  private Behavior<FdDriver.Command> onPolled(Polled p) {
    Reply<Sockets.Connection> r = p.reply();
    if (r.isOk() && r.value().channel() >= 0 && (pending == null || p.seq() != seq)) {
      sockets.close(r.value().channel()); // nobody waits for it any more (should not happen)
      return this;
    }
    if (pending == null || p.seq() != seq) {
      return this;
    }
    if (!r.isOk()) {
      return answer(Reply.error(r.errno()));
    }
    if (r.value().channel() >= 0) {
      Accept a = pending;
      DriverState.Socket conn = new DriverState.Socket(a.port(), r.value().channel(),
          r.value().detail(), false);
      ActorRef<FdDriver.Command> driver = FdDriver.spawn(getContext(), conn, settings);
      getContext().watch(driver);
      return answer(Reply.ok(new FdRef(a.fd(), FdKind.SOCKET,
          FdDriver.selfNode(getContext().getSystem()), a.port(), driver, conn.detail(), -1)));
    }
    if (System.nanoTime() - deadline >= 0) {
      return answer(Reply.error(Errno.EAGAIN));
    }
    timers.startSingleTimer("poll", new PollAgain(seq), settings.socketPoll());
    return this;
  }

  private Behavior<FdDriver.Command> answer(Reply<FdRef> reply) {
    pending.replyTo().tell(reply);
    pending = null;
    ++seq;
    return this;
  }

  private Behavior<FdDriver.Command> onRelease() {
    if (!released) {
      released = true;
      FdDriver.withdraw(getContext().getSystem(), state.port());
      sockets.close(state.channel());
      if (pending != null) {
        answer(Reply.error(Errno.EBADF));
      }
      timers.cancelAll();
    }
    return stopWhenChildless();
  }

  private Behavior<FdDriver.Command> stopWhenChildless() {
    return getContext().getChildren().iterator().hasNext() ? this : Behaviors.stopped();
  }
}

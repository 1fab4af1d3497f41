package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.process.ProcessSettings;

/**
 * The {@code socket} driver of an accepted TCP connection: reads and writes like a pipe end. A
 * read with nothing received polls the channel ({@link Sockets}, on the {@code net} protocol
 * threads) every {@code ssi.process.socket-poll} and answers EAGAIN after
 * {@code ssi.process.block-poll}; end of stream (the peer closed) reads end of file. A write is
 * answered once all its bytes are written; if the peer takes none before the block-poll runs
 * out it answers EAGAIN (nothing written, the process asks again) — once some are out it
 * finishes, however long the peer takes — and a peer that is gone fails it with EPIPE. One
 * operation at a time, in arrival order.
 *
 * <p>It lives on the node that accepted the connection (a child of its listener) and never
 * moves. Released, it closes its channel, withdraws its port and stops.
 */
final class SocketConnection extends AbstractBehavior<FdDriver.Command> {

  private record ReadDone(long seq, Reply<byte[]> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private record WriteDone(long seq, Reply<Integer> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private record PollAgain(long seq)
      implements FdDriver.Command, akka.actor.NoSerializationVerificationNeeded {
  }

  private final ProcessSettings settings;
  private final TimerScheduler<FdDriver.Command> timers;
  private final Sockets sockets;
  private final DriverState.Socket state;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();
  private Msg<FdOp, FdResult> current;
  private ByteBuffer unwritten;
  private long deadline;
  private long seq;

  static Behavior<FdDriver.Command> create(DriverState.Socket state, ProcessSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new SocketConnection(ctx, t, state,
        settings)));
  }

  private SocketConnection(ActorContext<FdDriver.Command> ctx,
      TimerScheduler<FdDriver.Command> timers, DriverState.Socket state,
      ProcessSettings settings) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.sockets = Sockets.get(ctx.getSystem());
    this.state = state;
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(PollAgain.class, p -> p.seq() == seq ? poll() : this)
        .onMessage(ReadDone.class, this::onReadDone)
        .onMessage(WriteDone.class, this::onWriteDone)
        .onMessage(FdDriver.Release.class, r -> onRelease())
        .onSignal(PostStop.class, s -> {
          sockets.close(state.channel());
          return this;
        })
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    if (current != null) {
      held.add(op.msg());
    } else {
      start(op.msg());
    }
    return this;
  }

  private void start(Msg<FdOp, FdResult> msg) {
    if (msg.body() instanceof FdOp.Read || msg.body() instanceof FdOp.Write) {
      current = msg;
      unwritten = msg.body() instanceof FdOp.Write w ? ByteBuffer.wrap(w.data()) : null;
      deadline = System.nanoTime() + settings.blockPoll().toNanos();
      ++seq;
      poll();
    } else {
      Lwkt.replymsg(msg, Errno.EINVAL);
    }
  }

  private Behavior<FdDriver.Command> poll() {
    long s = seq;
    if (current.body() instanceof FdOp.Read r) {
      getContext().pipeToSelf(sockets.read(state.channel(), Math.max(1, r.max())),
          (rep, e) -> new ReadDone(s, rep != null ? rep : Reply.error(Errno.EIO)));
    } else {
      getContext().pipeToSelf(sockets.write(state.channel(), unwritten),
          (rep, e) -> new WriteDone(s, rep != null ? rep : Reply.error(Errno.EIO)));
    }
    return this;
  }

  private Behavior<FdDriver.Command> onReadDone(ReadDone d) {
    if (d.seq() != seq || current == null) {
      return this;
    }
    Reply<byte[]> r = d.reply();
    if (!r.isOk()) {
      return answer(Reply.error(r.errno()));
    } else if (r.value() == null) {
      return answer(Reply.ok(FdResult.endOfFile()));
    } else if (r.value().length > 0) {
      return answer(Reply.ok(FdResult.data(r.value())));
    }
    return waitOrGiveUp();
  }

  private Behavior<FdDriver.Command> onWriteDone(WriteDone d) {
    if (d.seq() != seq || current == null) {
      return this;
    }
    if (!d.reply().isOk()) {
      return answer(Reply.error(d.reply().errno()));
    }
    if (!unwritten.hasRemaining()) {
      return answer(Reply.ok(FdResult.count(unwritten.limit())));
    }
    return waitOrGiveUp();
  }

  private Behavior<FdDriver.Command> waitOrGiveUp() {
    // EAGAIN means "nothing happened": a write that is partly out is finished, however long.
    boolean untouched = unwritten == null || unwritten.position() == 0;
    if (untouched && System.nanoTime() - deadline >= 0) {
      return answer(Reply.error(Errno.EAGAIN));
    }
    timers.startSingleTimer("poll", new PollAgain(seq), settings.socketPoll());
    return this;
  }

  private Behavior<FdDriver.Command> answer(Reply<FdResult> reply) {
    Lwkt.replymsg(current, reply);
    current = null;
    unwritten = null;
    ++seq;
    if (!held.isEmpty()) {
      start(held.poll());
    }
    return this;
  }

  private Behavior<FdDriver.Command> onRelease() {
    FdDriver.withdraw(getContext().getSystem(), state.port());
    sockets.close(state.channel());
    if (current != null) {
      Lwkt.replymsg(current, Errno.EBADF);
    }
    held.forEach(msg -> Lwkt.replymsg(msg, Errno.EBADF));
    return FdDriver.linger(Reply.error(Errno.EBADF));
  }
}

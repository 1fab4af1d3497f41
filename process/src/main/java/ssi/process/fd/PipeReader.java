package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.process.ProcessSettings;

/**
 * The reading end of a pipe, which holds the pipe's bounded buffer ({@code ssi.process.pipe-buffer}).
 * Writes that do not fit answer EAGAIN (nothing written; the writer asks again), reads with
 * nothing buffered wait up to {@code ssi.process.block-poll} and then answer EAGAIN, and once
 * every writer is gone an empty pipe reads end of file. When the reader closes, the port is
 * withdrawn and writers get EPIPE. The whole pipe moves with the reading process.
 */
final class PipeReader extends AbstractBehavior<FdDriver.Command> {

  private final ProcessSettings settings;
  private final String port;
  private final long pipe;
  private byte[] buffer;
  private int writers;
  private final WaitingRead waiting;
  private boolean quiesced;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();

  static Behavior<FdDriver.Command> create(DriverState.PipeRead state, ProcessSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new PipeReader(ctx, t, state,
        settings)));
  }

  private PipeReader(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.PipeRead state, ProcessSettings settings) {
    super(ctx);
    this.settings = settings;
    this.waiting = new WaitingRead(timers, settings.blockPoll());
    this.port = state.port();
    this.pipe = state.pipe();
    this.buffer = state.buffer();
    this.writers = state.writers();
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(WaitingRead.Expired.class, e -> {
          waiting.expired(e);
          return this;
        })
        .onMessage(FdDriver.Quiesce.class, this::onQuiesce)
        .onMessage(FdDriver.MovedTo.class, this::onMovedTo)
        .onMessage(FdDriver.Release.class, r -> release())
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    Msg<FdOp, FdResult> msg = op.msg();
    if (quiesced) {
      held.add(msg);
      return this;
    }
    if (msg.body() instanceof FdOp.Write w) {
      if (buffer.length > 0 && buffer.length + w.data().length > settings.pipeBuffer()) {
        Lwkt.replymsg(msg, Errno.EAGAIN);
      } else {
        byte[] b = Arrays.copyOf(buffer, buffer.length + w.data().length);
        System.arraycopy(w.data(), 0, b, buffer.length, w.data().length);
        buffer = b;
        Lwkt.replymsg(msg, Reply.ok(FdResult.count(w.data().length)));
        servePending();
      }
    } else if (msg.body() instanceof FdOp.WriterGone) {
      writers = Math.max(0, writers - 1);
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
      servePending();
    } else if (msg.body() instanceof FdOp.Read) {
      waiting.hold(msg);
      servePending();
    } else {
      Lwkt.replymsg(msg, Errno.EINVAL);
    }
    return this;
  }

  /** Answers the waiting read when there is data or end of file; true when it did. */
  private boolean servePending() {
    if (!waiting.present()) {
      return false;
    }
    int max = waiting.max();
    if (buffer.length > 0) {
      int n = Math.min(max, buffer.length);
      waiting.answer(Reply.ok(FdResult.data(Arrays.copyOf(buffer, n))));
      buffer = Arrays.copyOfRange(buffer, n, buffer.length);
    } else if (writers == 0) {
      waiting.answer(Reply.ok(FdResult.endOfFile()));
    } else {
      return false;
    }
    return true;
  }

  private Behavior<FdDriver.Command> onQuiesce(FdDriver.Quiesce q) {
    waiting.answer(Errno.EAGAIN); // asked again on the new node
    quiesced = true;
    q.replyTo().tell(new FdDriver.Quiesced(new DriverState.PipeRead(port, pipe, buffer, writers)));
    return this;
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    return FdDriver.movedAway(getContext().getSystem(), port, m.node(), held);
  }

  private Behavior<FdDriver.Command> release() {
    waiting.answer(Errno.EBADF);
    return FdDriver.released(getContext().getSystem(), port, held, Errno.EPIPE);
  }

  /** A new pipe's reading end, expecting one writer. */
  static DriverState.PipeRead fresh(String port, long pipe) {
    return new DriverState.PipeRead(port, pipe, new byte[0], 1);
  }

}

package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.AddressFromURIString;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayDeque;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.cluster.mesh.Mesh;

/**
 * The writing end of a pipe: passes each write (and, on close, "writer gone") to the reading
 * end's port, wherever that is now — a "moved to" answer re-sends to the reader's new node.
 * One operation at a time, so writes reach the reader in order. A reader that is gone (its port
 * withdrawn: EBADF) makes writes fail with EPIPE.
 */
final class PipeWriter extends AbstractBehavior<FdDriver.Command> {

  private record Forwarded(Msg<FdOp, FdResult> msg, Reply<FdResult> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private DriverState.PipeWrite state;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();
  private Msg<FdOp, FdResult> inFlight;
  private FdDriver.Quiesce quiescer;
  private boolean quiesced;
  private boolean releasing;

  static Behavior<FdDriver.Command> create(DriverState.PipeWrite state) {
    return Behaviors.setup(ctx -> new PipeWriter(ctx, state));
  }

  private PipeWriter(ActorContext<FdDriver.Command> ctx, DriverState.PipeWrite state) {
    super(ctx);
    this.state = state;
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(Forwarded.class, this::onForwarded)
        .onMessage(FdDriver.Quiesce.class, this::onQuiesce)
        .onMessage(FdDriver.MovedTo.class, this::onMovedTo)
        .onMessage(FdDriver.Release.class, r -> onRelease())
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    if (inFlight != null || quiescer != null || quiesced || releasing) {
      held.add(op.msg());
    } else {
      forward(op.msg());
    }
    return this;
  }

  private void forward(Msg<FdOp, FdResult> msg) {
    inFlight = msg;
    var reader = Mesh.get(getContext().getSystem()).<FdOp, FdResult>proxy(
        AddressFromURIString.parse(state.readerNode()), state.readerPort());
    getContext().pipeToSelf(Lwkt.domsg(reader, Msg.of(msg.body())),
        (r, e) -> new Forwarded(msg, r != null ? r : Reply.error(Errno.EIO)));
  }

  private Behavior<FdDriver.Command> onForwarded(Forwarded f) {
    Reply<FdResult> r = f.reply();
    if (r.isOk() && r.value().movedTo() != null) {
      state = new DriverState.PipeWrite(state.port(), state.pipe(), r.value().movedTo(),
          state.readerPort());
      forward(f.msg()); // the reader moved: same operation, new node
      return this;
    }
    inFlight = null;
    if (f.msg().body() instanceof FdOp.WriterGone) { // our own close reached the reader
      FdDriver.withdraw(getContext().getSystem(), state.port());
      held.forEach(msg -> Lwkt.replymsg(msg, Errno.EBADF));
      return FdDriver.linger(Reply.error(Errno.EBADF));
    }
    Reply<FdResult> answer = r.errno() == Errno.EBADF || r.errno() == Errno.EHOSTDOWN
        ? Reply.error(Errno.EPIPE) : r;
    Lwkt.replymsg(f.msg(), answer);
    if (releasing) {
      forward(Msg.of(new FdOp.WriterGone()));
      return this;
    }
    if (quiescer != null) {
      answerQuiesce();
    } else if (!held.isEmpty()) {
      forward(held.poll());
    }
    return this;
  }

  private Behavior<FdDriver.Command> onQuiesce(FdDriver.Quiesce q) {
    quiescer = q;
    if (inFlight == null) {
      answerQuiesce();
    }
    return this;
  }

  private void answerQuiesce() {
    quiescer.replyTo().tell(new FdDriver.Quiesced(state));
    quiescer = null;
    quiesced = true;
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    return FdDriver.movedAway(getContext().getSystem(), state.port(), m.node(), held);
  }

  /** Closing the writing end tells the reader one writer fewer, then stops. */
  private Behavior<FdDriver.Command> onRelease() {
    releasing = true;
    if (inFlight == null) {
      forward(Msg.of(new FdOp.WriterGone()));
    }
    return this;
  }
}

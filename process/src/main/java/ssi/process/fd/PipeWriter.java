package ssi.process.fd;

import akka.actor.AddressFromURIString;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.cluster.mesh.Mesh;
import ssi.process.ProcessSettings;

/**
 * The writing end of a pipe: passes each write (and, on close, "writer gone") to the reading
 * end's port, wherever that is now. One operation at a time, so writes reach the reader in
 * order; the first is always this end's {@link FdOp.PeerAt} (where it is, when it starts and
 * after each move), so the reader can tell it when the reader moves. Where the reader is comes
 * from the reader's own notices, or from a "moved to" answer; when its known address does not
 * answer (EBADF: the name is gone, e.g. its stub stopped; EHOSTDOWN: the node is gone), the
 * writer asks the reader's process where it is now ({@link FdDriver.Locator}) and sends the same
 * operation there — nothing was applied at the old address. Only a reader that said it closed
 * ({@link FdOp.PeerGone}), or that its process no longer serves, makes writes fail with EPIPE.
 */
final class PipeWriter extends AbstractBehavior<FdDriver.Command> {

  private record Forwarded(Msg<FdOp, FdResult> msg, String node, Reply<FdResult> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private record Located(Msg<FdOp, FdResult> msg, String failed, Optional<String> node)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private record Retry(Msg<FdOp, FdResult> msg)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private final ProcessSettings settings;
  private final TimerScheduler<FdDriver.Command> timers;
  private final FdDriver.Locator locator;
  private final String movedFrom;
  private DriverState.PipeWrite state;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();
  /** The reader's notices, answered once nothing is on its way to an older address. */
  private final List<Msg<FdOp, FdResult>> notices = new ArrayList<>();
  private Msg<FdOp, FdResult> inFlight;
  private long lookingSince;
  private FdDriver.Quiesce quiescer;
  private boolean quiesced;
  private boolean releasing;

  static Behavior<FdDriver.Command> create(DriverState.PipeWrite state, ProcessSettings settings,
      FdDriver.Locator locator, String movedFrom) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new PipeWriter(ctx, t, state,
        settings, locator, movedFrom)));
  }

  private PipeWriter(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.PipeWrite state, ProcessSettings settings, FdDriver.Locator locator,
      String movedFrom) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.locator = locator;
    this.movedFrom = movedFrom;
    long gen = movedFrom != null ? state.gen() + 1 : state.gen();
    this.state = new DriverState.PipeWrite(state.port(), state.pipe(), state.readerNode(),
        state.readerPort(), state.readerGen(), gen, state.readerGone());
    if (!state.readerGone()) {
      forward(Msg.of(new FdOp.PeerAt(state.port(), FdDriver.selfNode(ctx.getSystem()), gen)));
    }
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(Forwarded.class, this::onForwarded)
        .onMessage(Located.class, this::onLocated)
        .onMessage(Retry.class, r -> {
          send(r.msg());
          return this;
        })
        .onMessage(FdDriver.Describe.class, d -> {
          d.replyTo().tell(state);
          return this;
        })
        .onMessage(FdDriver.Quiesce.class, this::onQuiesce)
        .onMessage(FdDriver.MovedTo.class, this::onMovedTo)
        .onMessage(FdDriver.Resume.class, r -> onResume())
        .onMessage(FdDriver.Release.class, r -> onRelease())
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    Msg<FdOp, FdResult> msg = op.msg();
    if (msg.body() instanceof FdOp.Informed) { // meant for a stub that was here: nothing to do
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
    } else if (quiesced) {
      held.add(msg); // answered "moved" once the new driver runs, or EIO if the move is given up
    } else if (msg.body() instanceof FdOp.PeerAt p) { // the reader moved
      if (p.gen() > state.readerGen()) {
        state = state.readerAt(p.node(), p.gen());
      }
      if (inFlight == null) {
        Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
      } else {
        notices.add(msg); // once the operation on its way is answered, nothing goes to the old
      }
    } else if (msg.body() instanceof FdOp.PeerGone) {
      state = new DriverState.PipeWrite(state.port(), state.pipe(), state.readerNode(),
          state.readerPort(), state.readerGen(), state.gen(), true);
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
    } else if (inFlight != null || quiescer != null || releasing) {
      held.add(msg);
    } else {
      return forward(msg);
    }
    return this;
  }

  /** Starts {@code msg} (one of the process's, or this end's own notice or close). */
  private Behavior<FdDriver.Command> forward(Msg<FdOp, FdResult> msg) {
    inFlight = msg;
    if (state.readerGone()) { // nobody reads any more: no need to ask
      return finish(msg, Reply.error(Errno.EPIPE));
    }
    send(msg);
    return this;
  }

  private void send(Msg<FdOp, FdResult> msg) {
    String node = state.readerNode();
    var reader = Mesh.get(getContext().getSystem()).<FdOp, FdResult>proxy(
        AddressFromURIString.parse(node), state.readerPort());
    getContext().pipeToSelf(Lwkt.domsg(reader, Msg.of(msg.body())),
        (r, e) -> new Forwarded(msg, node, r != null ? r : Reply.error(Errno.EIO)));
  }

  private Behavior<FdDriver.Command> onForwarded(Forwarded f) {
    Reply<FdResult> r = f.reply();
    if (r.isOk() && r.value().movedTo() != null) {
      long gen = r.value().value();
      if (gen > state.readerGen() || state.readerNode().equals(f.node())) {
        state = state.readerAt(r.value().movedTo(), Math.max(gen, state.readerGen()));
      }
      send(f.msg()); // the reader moved: same operation, where it is now
      return this;
    }
    if (r.errno() == Errno.EBADF || r.errno() == Errno.EHOSTDOWN) {
      if (!f.node().equals(state.readerNode())) { // a notice came meanwhile: try there first
        send(f.msg());
        return this;
      }
      // The address no longer answers: its stub may have stopped, or its node left. Ask the
      // reader's process where it is before taking it for closed (nothing was applied).
      if (lookingSince == 0) {
        lookingSince = System.nanoTime();
      }
      getContext().pipeToSelf(locator.locate(state.readerPort()), (n, e) -> new Located(
          f.msg(), f.node(), n != null ? n : Optional.empty()));
      return this;
    }
    return finish(f.msg(), r);
  }

  private Behavior<FdDriver.Command> onLocated(Located l) {
    if (!l.failed().equals(state.readerNode())) {
      send(l.msg()); // a notice came meanwhile
    } else if (l.node().isPresent() && !l.node().get().equals(l.failed())) {
      state = state.readerAt(l.node().get(), state.readerGen());
      send(l.msg());
    } else if (l.node().isPresent()
        && System.nanoTime() - lookingSince < settings.askTimeout().toNanos()) {
      // Its process still lists it there (its table may lag a move): look again shortly.
      timers.startSingleTimer(new Retry(l.msg()), settings.blockPoll());
    } else {
      getContext().getLog().debug("pipe {}: reader {} is gone", state.pipe(), state.readerPort());
      state = new DriverState.PipeWrite(state.port(), state.pipe(), state.readerNode(),
          state.readerPort(), state.readerGen(), state.gen(), true);
      return finish(l.msg(), Reply.error(Errno.EPIPE));
    }
    return this;
  }

  /** {@code msg} is done with {@code r}: answer it (if the process sent it), then go on. */
  private Behavior<FdDriver.Command> finish(Msg<FdOp, FdResult> msg, Reply<FdResult> r) {
    inFlight = null;
    lookingSince = 0;
    notices.forEach(n -> Lwkt.replymsg(n, Reply.ok(FdResult.count(0))));
    notices.clear();
    if (msg.body() instanceof FdOp.WriterGone) { // our own close reached the reader
      FdDriver.withdraw(getContext().getSystem(), state.port());
      held.forEach(m -> Lwkt.replymsg(m, Errno.EBADF));
      return FdDriver.linger(Reply.error(Errno.EBADF));
    }
    if (msg.body() instanceof FdOp.PeerAt) { // our own notice: the reader knows where we are
      if (movedFrom != null && !state.readerGone()) {
        Lwkt.domsg(Mesh.get(getContext().getSystem()).<FdOp, FdResult>proxy(
            AddressFromURIString.parse(movedFrom), state.port()),
            Msg.of(new FdOp.Informed(state.readerPort())));
      }
    } else {
      Lwkt.replymsg(msg, r.errno() == Errno.EBADF || r.errno() == Errno.EHOSTDOWN
          ? Reply.error(Errno.EPIPE) : r);
    }
    if (releasing) {
      return forward(Msg.of(new FdOp.WriterGone(state.port())));
    } else if (quiescer != null) {
      answerQuiesce();
    } else if (!held.isEmpty()) {
      return forward(held.poll());
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
    timers.startSingleTimer(FdDriver.QUIESCE_TIMER, new FdDriver.Resume(),
        FdDriver.quiesceDeadline(settings));
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    Set<String> parties = new HashSet<>(Set.of(FdOp.Informed.PROCESS));
    if (!state.readerGone()) {
      parties.add(state.readerPort());
    }
    return FdDriver.movedAway(state.port(), m, state.gen() + 1, held, parties);
  }

  /** The move was given up: what was held fails EIO, and this end serves here again. */
  private Behavior<FdDriver.Command> onResume() {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    quiescer = null;
    if (!quiesced) {
      return this;
    }
    quiesced = false;
    FdDriver.failHeld(held);
    return this;
  }

  /** Closing the writing end tells the reader one writer fewer, then stops. */
  private Behavior<FdDriver.Command> onRelease() {
    releasing = true;
    return inFlight == null ? forward(Msg.of(new FdOp.WriterGone(state.port()))) : this;
  }
}

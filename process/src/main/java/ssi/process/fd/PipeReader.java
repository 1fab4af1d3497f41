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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.cluster.mesh.Mesh;
import ssi.process.ProcessSettings;

/**
 * The reading end of a pipe, which holds the pipe's bounded buffer
 * ({@code ssi.process.pipe-buffer}). Writes that do not fit answer EAGAIN (nothing written; the writer asks again), reads with
 * nothing buffered wait up to {@code ssi.process.block-poll} and then answer EAGAIN, and once
 * every writer is gone an empty pipe reads end of file. The whole pipe moves with the reading
 * process.
 *
 * <p>The two ends find each other without the stubs a move leaves behind: each writer tells the
 * reader where it is ({@link FdOp.PeerAt}) when it starts and after each of its moves; a reader
 * rebuilt on a new node tells every writer it knows the same, then tells the stub on its old node
 * that this writer has been told ({@link FdOp.Informed}). A writer that does not answer at its
 * known address is looked for through its process ({@link FdDriver.Locator}); one that cannot be
 * found learns the new address itself on its next write. When the reader closes, the port is
 * withdrawn and the writers are told ({@link FdOp.PeerGone}): their writes get EPIPE.
 */
final class PipeReader extends AbstractBehavior<FdDriver.Command> {

  /** A notice to a writer was answered. */
  private record Announced(DriverState.Peer peer, Reply<FdResult> reply)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  /** Where a writer that did not answer at {@code failed} is now, if anywhere. */
  private record Located(DriverState.Peer peer, String failed, Optional<String> node)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private final ProcessSettings settings;
  private final TimerScheduler<FdDriver.Command> timers;
  private final FdDriver.Locator locator;
  private final String movedFrom;
  private final String self;
  private final String port;
  private final long pipe;
  private final long gen;
  private byte[] buffer;
  private int writers;
  private final Map<String, DriverState.Peer> peers = new LinkedHashMap<>();
  private final WaitingRead waiting;
  private boolean quiesced;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();

  static Behavior<FdDriver.Command> create(DriverState.PipeRead state, ProcessSettings settings,
      FdDriver.Locator locator, String movedFrom) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new PipeReader(ctx, t, state,
        settings, locator, movedFrom)));
  }

  private PipeReader(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.PipeRead state, ProcessSettings settings, FdDriver.Locator locator,
      String movedFrom) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.locator = locator;
    this.movedFrom = movedFrom;
    this.self = FdDriver.selfNode(ctx.getSystem());
    this.waiting = new WaitingRead(timers, settings.blockPoll());
    this.port = state.port();
    this.pipe = state.pipe();
    this.gen = movedFrom != null ? state.gen() + 1 : state.gen();
    this.buffer = state.buffer();
    this.writers = state.writers();
    state.peers().forEach(p -> peers.put(p.port(), p));
    if (movedFrom != null) {
      peers.values().forEach(this::announce); // DESIGN §10: the writers learn where we are
    }
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(WaitingRead.Expired.class, e -> {
          waiting.expired(e);
          return this;
        })
        .onMessage(Announced.class, this::onAnnounced)
        .onMessage(Located.class, this::onLocated)
        .onMessage(FdDriver.Describe.class, d -> {
          d.replyTo().tell(state());
          return this;
        })
        .onMessage(FdDriver.Quiesce.class, this::onQuiesce)
        .onMessage(FdDriver.MovedTo.class, this::onMovedTo)
        .onMessage(FdDriver.Resume.class, r -> onResume())
        .onMessage(FdDriver.Release.class, r -> release())
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    Msg<FdOp, FdResult> msg = op.msg();
    if (msg.body() instanceof FdOp.Informed) { // meant for a stub that was here: nothing to do
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
      return this;
    }
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
    } else if (msg.body() instanceof FdOp.PeerAt p) {
      DriverState.Peer known = peers.get(p.port());
      if (known == null || known.gen() <= p.gen()) {
        peers.put(p.port(), new DriverState.Peer(p.port(), p.node(), p.gen()));
      }
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(0)));
    } else if (msg.body() instanceof FdOp.WriterGone g) {
      writers = Math.max(0, writers - 1);
      peers.remove(g.port());
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

  // ---- telling the writers where this end is ----

  private void announce(DriverState.Peer peer) {
    var writer = Mesh.get(getContext().getSystem()).<FdOp, FdResult>proxy(
        AddressFromURIString.parse(peer.node()), peer.port());
    getContext().pipeToSelf(Lwkt.domsg(writer, Msg.of(new FdOp.PeerAt(port, self, gen))),
        (r, e) -> new Announced(peer, r != null ? r : Reply.error(Errno.EIO)));
  }

  private Behavior<FdDriver.Command> onAnnounced(Announced a) {
    DriverState.Peer peer = peers.get(a.peer().port());
    Reply<FdResult> r = a.reply();
    if (peer == null || !peer.equals(a.peer())) {
      // The writer closed, or told us of a newer address meanwhile: it knows where we are.
      informStub(a.peer().port());
    } else if (r.isOk() && r.value().movedTo() != null) { // the writer is moving too
      DriverState.Peer next = new DriverState.Peer(peer.port(), r.value().movedTo(),
          Math.max(peer.gen(), r.value().value()));
      peers.put(next.port(), next);
      announce(next);
    } else if (r.errno() == Errno.EBADF || r.errno() == Errno.EHOSTDOWN) {
      getContext().pipeToSelf(locator.locate(peer.port()), (n, e) -> new Located(peer,
          peer.node(), n != null ? n : Optional.empty()));
    } else {
      // Told — or not reachable now (ETIMEDOUT, EIO): it then learns on its next write.
      informStub(peer.port());
    }
    return this;
  }

  private Behavior<FdDriver.Command> onLocated(Located l) {
    DriverState.Peer peer = peers.get(l.peer().port());
    if (peer != null && peer.equals(l.peer()) && l.node().isPresent()
        && !l.node().get().equals(l.failed())) {
      DriverState.Peer next = new DriverState.Peer(peer.port(), l.node().get(), peer.gen());
      peers.put(next.port(), next);
      announce(next);
    } else {
      informStub(l.peer().port()); // gone, or it learns on its next write
    }
    return this;
  }

  /** Tells the stub on the node this driver moved from that {@code party} knows the new place. */
  private void informStub(String party) {
    if (movedFrom != null) {
      Lwkt.domsg(Mesh.get(getContext().getSystem()).<FdOp, FdResult>proxy(
          AddressFromURIString.parse(movedFrom), port), Msg.of(new FdOp.Informed(party)));
    }
  }

  // ---- moving and closing ----

  private DriverState.PipeRead state() {
    return new DriverState.PipeRead(port, pipe, buffer, writers, gen, List.copyOf(peers.values()));
  }

  private Behavior<FdDriver.Command> onQuiesce(FdDriver.Quiesce q) {
    waiting.answer(Errno.EAGAIN); // asked again on the new node
    quiesced = true;
    timers.startSingleTimer(FdDriver.QUIESCE_TIMER, new FdDriver.Resume(),
        FdDriver.quiesceDeadline(settings));
    q.replyTo().tell(new FdDriver.Quiesced(state()));
    return this;
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    Set<String> parties = new HashSet<>(peers.keySet());
    parties.add(FdOp.Informed.PROCESS);
    return FdDriver.movedAway(port, m, gen + 1, held, parties);
  }

  /** The move was given up: what was held fails EIO, and the pipe is served here again. */
  private Behavior<FdDriver.Command> onResume() {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    quiesced = false;
    FdDriver.failHeld(held);
    return this;
  }

  private Behavior<FdDriver.Command> release() {
    waiting.answer(Errno.EBADF);
    var mesh = Mesh.get(getContext().getSystem());
    for (DriverState.Peer p : peers.values()) { // their writes fail EPIPE at once from now on
      Lwkt.domsg(mesh.<FdOp, FdResult>proxy(AddressFromURIString.parse(p.node()), p.port()),
          Msg.of(new FdOp.PeerGone(port)));
    }
    return FdDriver.released(getContext().getSystem(), port, held, Errno.EPIPE);
  }
}

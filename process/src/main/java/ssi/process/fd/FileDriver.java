package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.files.api.Files;
import ssi.process.ProcessSettings;

/**
 * The {@code file} driver: a cluster file, an offset and the append flag. Reads and writes go
 * through this node's file API (coherent on every node), one at a time; a read at the end of the
 * file answers end of file. Moving it moves only the offset: the data is coherent wherever the
 * driver runs.
 */
final class FileDriver extends AbstractBehavior<FdDriver.Command> {

  /** Tries of an operation that may be repeated (a read, a write at an offset) on ETIMEDOUT. */
  private static final int TRIES = 3;

  private record Done(Msg<FdOp, FdResult> msg, Reply<FdResult> reply, long newOffset)
      implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private final TimerScheduler<FdDriver.Command> timers;
  private final ProcessSettings settings;
  private DriverState.File state;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();
  private boolean busy;
  private ActorRef<FdDriver.Quiesced> quiescer;
  private boolean quiesced;
  private int tries;

  static Behavior<FdDriver.Command> create(DriverState.File state, ProcessSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new FileDriver(ctx, t, state,
        settings)));
  }

  private FileDriver(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.File state, ProcessSettings settings) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.state = state;
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(Done.class, this::onDone)
        .onMessage(FdDriver.Quiesce.class, this::onQuiesce)
        .onMessage(FdDriver.MovedTo.class, this::onMovedTo)
        .onMessage(FdDriver.Resume.class, r -> onResume())
        .onMessage(FdDriver.Release.class, r -> release())
        .build();
  }

  private Behavior<FdDriver.Command> onOp(FdDriver.Op op) {
    if (busy || quiescer != null || quiesced) {
      held.add(op.msg());
    } else {
      start(op.msg());
    }
    return this;
  }

  private void start(Msg<FdOp, FdResult> msg) {
    busy = true;
    Files files = Files.get(getContext().getSystem());
    long off = state.offset();
    CompletionStage<Done> done;
    if (msg.body() instanceof FdOp.Read r) {
      done = files.read(state.handle(), off, r.max()).thenApply(rep -> !rep.isOk()
          ? new Done(msg, Reply.error(rep.errno()), off)
          : rep.value().length == 0 ? new Done(msg, Reply.ok(FdResult.endOfFile()), off)
          : new Done(msg, Reply.ok(FdResult.data(rep.value())), off + rep.value().length));
    } else if (msg.body() instanceof FdOp.Write w && state.append()) {
      done = files.append(state.handle(), w.data()).thenApply(rep -> rep.isOk()
          ? new Done(msg, Reply.ok(FdResult.count(w.data().length)), rep.value() + w.data().length)
          : new Done(msg, Reply.error(rep.errno()), off));
    } else if (msg.body() instanceof FdOp.Write w) {
      done = files.write(state.handle(), off, w.data()).thenApply(rep -> rep.isOk()
          ? new Done(msg, Reply.ok(FdResult.count(w.data().length)), off + w.data().length)
          : new Done(msg, Reply.error(rep.errno()), off));
    } else {
      done = java.util.concurrent.CompletableFuture.completedFuture(
          new Done(msg, Reply.error(Errno.EINVAL), off));
    }
    getContext().pipeToSelf(done, (d, e) -> d != null ? d : new Done(msg, Reply.error(Errno.EIO),
        off));
  }

  private Behavior<FdDriver.Command> onDone(Done d) {
    boolean idempotent = d.msg().body() instanceof FdOp.Read || !state.append();
    if (d.reply().errno() == Errno.ETIMEDOUT && idempotent && ++tries < TRIES) {
      // The file's entity did not answer (e.g. its shard was being handed over by a node that
      // left): doing the same read or write at the same offset again is harmless. An append is
      // not repeated — it may have happened.
      getContext().getLog().info("file {}: {} timed out; trying again", state.path(),
          d.msg().body().getClass().getSimpleName());
      start(d.msg());
      return this;
    }
    tries = 0;
    busy = false;
    if (!d.reply().isOk()) {
      getContext().getLog().warn("file {} ({}): {} failed with {}", state.path(),
          state.handle(), d.msg().body().getClass().getSimpleName(), d.reply().errno());
    }
    state = new DriverState.File(state.port(), state.handle(), state.path(), d.newOffset(),
        state.append());
    Lwkt.replymsg(d.msg(), d.reply());
    if (quiescer != null) {
      answerQuiesce();
    } else if (!held.isEmpty()) {
      start(held.poll());
    }
    return this;
  }

  private Behavior<FdDriver.Command> onQuiesce(FdDriver.Quiesce q) {
    quiescer = q.replyTo();
    if (!busy) {
      answerQuiesce();
    }
    return this;
  }

  private void answerQuiesce() {
    quiescer.tell(new FdDriver.Quiesced(state));
    quiescer = null;
    quiesced = true;
    timers.startSingleTimer(FdDriver.QUIESCE_TIMER, new FdDriver.Resume(),
        FdDriver.quiesceDeadline(settings));
  }

  /** The move was given up: what was held fails EIO, and the driver serves here again. */
  private Behavior<FdDriver.Command> onResume() {
    if (!quiesced && quiescer == null) {
      return this;
    }
    timers.cancel(FdDriver.QUIESCE_TIMER);
    quiescer = null;
    quiesced = false;
    FdDriver.failHeld(held); // an operation in hand (a quiesce waiting for it) goes on
    return this;
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    return FdDriver.movedAway(state.port(), m, 0, held, Set.of(FdOp.Informed.PROCESS));
  }

  private Behavior<FdDriver.Command> release() {
    return FdDriver.released(getContext().getSystem(), state.port(), held, Errno.EBADF);
  }
}

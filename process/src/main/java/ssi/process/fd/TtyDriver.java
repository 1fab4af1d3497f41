package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.process.ProcessSettings;

/**
 * The {@code tty} driver: a terminal with a canonical-mode line discipline. The user's side
 * ({@link FdDriver.TtyInput}, {@link FdDriver.TtyOutput}, used by {@code ssi attach} through the
 * management server) types bytes; the discipline echoes them, edits the line (backspace), hands
 * a completed line to the process's reads, turns ^D on an empty line into end of file, and ^C
 * into EINTR for the process's next tty operation (the process takes it as SIGINT). What the
 * process writes is appended to the output the terminal side reads. It moves completely.
 */
final class TtyDriver extends AbstractBehavior<FdDriver.Command> {

  private static final char CTRL_C = 3;
  private static final char CTRL_D = 4;

  private final ProcessSettings settings;
  private final TimerScheduler<FdDriver.Command> timers;
  private final String port;
  private final StringBuilder editing;
  private final StringBuilder input;
  private final StringBuilder output;
  private long outputBase;
  private boolean eofPending;
  private boolean interrupted;
  private boolean quiesced;
  private final WaitingRead waiting;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();

  static Behavior<FdDriver.Command> create(DriverState.Tty state, ProcessSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new TtyDriver(ctx, t, state,
        settings)));
  }

  private TtyDriver(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.Tty s, ProcessSettings settings) {
    super(ctx);
    this.settings = settings;
    this.timers = timers;
    this.waiting = new WaitingRead(timers, settings.blockPoll());
    this.port = s.port();
    this.editing = new StringBuilder(s.editing());
    this.input = new StringBuilder(s.input());
    this.output = new StringBuilder(s.output());
    this.outputBase = s.outputBase();
    this.eofPending = s.eofPending();
  }

  /** A new terminal. */
  static DriverState.Tty fresh(String port) {
    return new DriverState.Tty(port, "", "", "", 0, false);
  }

  @Override
  public Receive<FdDriver.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FdDriver.Op.class, this::onOp)
        .onMessage(FdDriver.TtyInput.class, this::onInput)
        .onMessage(FdDriver.TtyOutput.class, this::onOutput)
        .onMessage(WaitingRead.Expired.class, e -> {
          waiting.expired(e);
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
    if (quiesced) {
      held.add(msg);
      return this;
    }
    if (interrupted) {
      interrupted = false;
      Lwkt.replymsg(msg, Errno.EINTR);
    } else if (msg.body() instanceof FdOp.Write w) {
      emit(new String(w.data(), StandardCharsets.UTF_8));
      Lwkt.replymsg(msg, Reply.ok(FdResult.count(w.data().length)));
    } else if (msg.body() instanceof FdOp.Read) {
      waiting.hold(msg);
      servePending();
    } else {
      Lwkt.replymsg(msg, Errno.EINVAL);
    }
    return this;
  }

  private Behavior<FdDriver.Command> onInput(FdDriver.TtyInput in) {
    String typed = new String(in.bytes(), StandardCharsets.UTF_8);
    for (char c : typed.toCharArray()) {
      if (c == CTRL_C) {
        editing.setLength(0);
        input.setLength(0);
        emit("^C\n");
        interrupted = true;
      } else if (c == CTRL_D) {
        if (editing.length() == 0) {
          eofPending = true;
        } else {
          input.append(editing);
          editing.setLength(0);
        }
      } else if (c == '\b' || c == 127) {
        if (editing.length() > 0) {
          editing.setLength(editing.length() - 1);
          emit("\b \b");
        }
      } else if (c == '\n' || c == '\r') {
        input.append(editing).append('\n');
        editing.setLength(0);
        emit("\n");
      } else {
        editing.append(c);
        emit(String.valueOf(c));
      }
    }
    if (interrupted && waiting.present()) {
      interrupted = false;
      waiting.answer(Errno.EINTR);
    } else {
      servePending();
    }
    in.replyTo().tell(Reply.ok(in.bytes().length));
    return this;
  }

  private boolean servePending() {
    if (!waiting.present()) {
      return false;
    }
    int max = waiting.max();
    if (input.length() > 0) {
      int n = Math.min(max, input.length());
      String chunk = input.substring(0, n);
      input.delete(0, n);
      waiting.answer(Reply.ok(FdResult.data(chunk.getBytes(StandardCharsets.UTF_8))));
    } else if (eofPending) {
      eofPending = false;
      waiting.answer(Reply.ok(FdResult.endOfFile()));
    } else {
      return false;
    }
    return true;
  }

  private void emit(String text) {
    output.append(text);
    int over = output.length() - settings.ttyHistory();
    if (over > 0) {
      output.delete(0, over);
      outputBase += over;
    }
  }

  private Behavior<FdDriver.Command> onOutput(FdDriver.TtyOutput o) {
    long from = Math.max(o.from(), outputBase);
    int start = (int) Math.min(output.length(), from - outputBase);
    o.replyTo().tell(new FdDriver.TtyView(output.substring(start), outputBase + output.length(),
        false));
    return this;
  }

  private Behavior<FdDriver.Command> onQuiesce(FdDriver.Quiesce q) {
    waiting.answer(Errno.EAGAIN); // asked again on the new node
    quiesced = true;
    timers.startSingleTimer(FdDriver.QUIESCE_TIMER, new FdDriver.Resume(),
        FdDriver.quiesceDeadline(settings));
    q.replyTo().tell(new FdDriver.Quiesced(new DriverState.Tty(port, editing.toString(),
        input.toString(), output.toString(), outputBase, eofPending)));
    return this;
  }

  private Behavior<FdDriver.Command> onMovedTo(FdDriver.MovedTo m) {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    return FdDriver.movedAway(port, m, 0, held, Set.of(FdOp.Informed.PROCESS));
  }

  /** The move was given up: what was held fails EIO, and the terminal serves here again. */
  private Behavior<FdDriver.Command> onResume() {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    quiesced = false;
    FdDriver.failHeld(held);
    return this;
  }

  private Behavior<FdDriver.Command> release() {
    waiting.answer(Errno.EBADF);
    return FdDriver.released(getContext().getSystem(), port, held, Errno.EBADF);
  }
}

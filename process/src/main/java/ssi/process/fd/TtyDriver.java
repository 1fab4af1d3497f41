package ssi.process.fd;

import akka.actor.typed.ActorRef;
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
 * management server) types bytes; the discipline echoes them, edits the line (backspace or DEL
 * erase one character), hands a completed line to the process's reads (LF ends a line, and so
 * does CR, taken as LF like {@code ICRNL}: a raw terminal sends CR for Enter), turns ^D on an
 * empty line into end of file and ^D mid-line into handing over the partial line. ^C discards
 * the line being edited and the input not yet read, echoes {@code ^C}, and tells the process
 * ({@link FdDriver.Interrupt}) at once — SIGINT whatever the process is doing, whether it reads
 * its tty or not. What the process writes is appended to the output the terminal side reads.
 *
 * <p>It moves completely. No interrupt is ever pending here (it goes to the process when typed),
 * so nothing of it is in {@link DriverState.Tty}; what the terminal side sends between
 * {@code Quiesce} and {@code MovedTo} is held and handed to the new driver, which then tells its
 * own process — the one that owns the tty now.
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
  private boolean quiesced;
  private final ActorRef<FdDriver.Interrupt> owner;
  private final WaitingRead waiting;
  private final ArrayDeque<Msg<FdOp, FdResult>> held = new ArrayDeque<>();
  private final ArrayDeque<FdDriver.TtyInput> heldInput = new ArrayDeque<>();

  /** A terminal in {@code state}; ^C is told to {@code owner} (null: nobody to interrupt). */
  static Behavior<FdDriver.Command> create(DriverState.Tty state, ProcessSettings settings,
      ActorRef<FdDriver.Interrupt> owner) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new TtyDriver(ctx, t, state,
        settings, owner)));
  }

  private TtyDriver(ActorContext<FdDriver.Command> ctx, TimerScheduler<FdDriver.Command> timers,
      DriverState.Tty s, ProcessSettings settings, ActorRef<FdDriver.Interrupt> owner) {
    super(ctx);
    this.settings = settings;
    this.owner = owner;
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
    if (msg.body() instanceof FdOp.Write w) {
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
    if (quiesced) {
      heldInput.add(in); // the state has been handed over: the new driver takes it
      return this;
    }
    String typed = new String(in.bytes(), StandardCharsets.UTF_8);
    for (char c : typed.toCharArray()) {
      if (c == CTRL_C) {
        editing.setLength(0);
        input.setLength(0); // like a terminal's input flush on INTR
        eofPending = false;
        emit("^C\n");
        if (owner != null) {
          owner.tell(FdDriver.Interrupt.INSTANCE);
        }
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
    servePending();
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
    heldInput.forEach(m.driver()::tell);
    heldInput.clear();
    return FdDriver.movedAway(port, m, 0, held, Set.of(FdOp.Informed.PROCESS));
  }

  /**
   * The move was given up: what was held fails EIO, keys typed meanwhile are taken here, and
   * the terminal serves here again.
   */
  private Behavior<FdDriver.Command> onResume() {
    timers.cancel(FdDriver.QUIESCE_TIMER);
    quiesced = false;
    FdDriver.failHeld(held);
    heldInput.forEach(getContext().getSelf()::tell);
    heldInput.clear();
    return this;
  }

  private Behavior<FdDriver.Command> release() {
    heldInput.forEach(i -> i.replyTo().tell(Reply.error(Errno.EBADF)));
    waiting.answer(Errno.EBADF);
    return FdDriver.released(getContext().getSystem(), port, held, Errno.EBADF);
  }
}

package ssi.process.fd;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;

/**
 * The one read a driver holds while it has nothing to give (a pipe's reading end, a tty): after
 * {@code ssi.process.block-poll} it is answered EAGAIN, so the reading process reaches a step
 * boundary and asks again. A newer read supersedes it (the old one is answered EAGAIN: its
 * sender gave up on it).
 */
final class WaitingRead {

  /** The poll timer fired for read number {@code seq}. */
  record Expired(long seq) implements FdDriver.Command, NoSerializationVerificationNeeded {
  }

  private static final String TIMER = "waiting-read";

  private final TimerScheduler<FdDriver.Command> timers;
  private final Duration poll;
  private Msg<FdOp, FdResult> msg;
  private long seq;

  WaitingRead(TimerScheduler<FdDriver.Command> timers, Duration poll) {
    this.timers = timers;
    this.poll = poll;
  }

  /** Holds {@code read} until it is answered or its poll time is up. */
  void hold(Msg<FdOp, FdResult> read) {
    if (msg != null) {
      Lwkt.replymsg(msg, Errno.EAGAIN);
    }
    msg = read;
    timers.startSingleTimer(TIMER, new Expired(++seq), poll);
  }

  /** Whether a read is waiting. */
  boolean present() {
    return msg != null;
  }

  /** How many bytes the waiting read takes at most. */
  int max() {
    return ((FdOp.Read) msg.body()).max();
  }

  /** Answers the waiting read, if any. */
  void answer(Reply<FdResult> reply) {
    if (msg != null) {
      Lwkt.replymsg(msg, reply);
      msg = null;
      timers.cancel(TIMER);
    }
  }

  /** Answers the waiting read, if any, with an error. */
  void answer(Errno errno) {
    answer(Reply.error(errno));
  }

  /** The poll timer fired: an unanswered read gets EAGAIN. */
  void expired(Expired e) {
    if (e.seq() == seq) {
      answer(Errno.EAGAIN);
    }
  }
}

package ssi.actors.lwkt;

/**
 * Where a {@link Msg} is in its life. A message starts {@link #SENT}, moves through at most one of
 * {@link #QUEUED} or {@link #IN_TRANSIT} and {@link #PROCESSING}, and ends in exactly one terminal
 * state; the move into a terminal state is the single moment its one reply is delivered.
 */
public enum MsgState {
  /** Handed to {@code domsg}/{@code sendmsg}, not yet routed. */
  SENT(false),
  /** Completed by the port's agent in the caller's thread (fast path). Terminal. */
  DONE_INLINE(true),
  /** In the mailbox of the port's actor. */
  QUEUED(false),
  /** Crossing nodes through a proxy port. */
  IN_TRANSIT(false),
  /** Taken by the port's owner, which is working on it. */
  PROCESSING(false),
  /** Replied by the target with a value or an errno. Terminal. */
  REPLIED(true),
  /** Aborted before it was processed; replied with {@link Errno#EINTR}. Terminal. */
  ABORTED(true),
  /** Given up by the sender's deadline; replied with {@link Errno#ETIMEDOUT}. Terminal. */
  TIMED_OUT(true),
  /** Dropped by the port's owner; replied with {@link Errno#ECANCELED}. Terminal. */
  DROPPED(true);

  private final boolean terminal;

  MsgState(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the message has had its one reply. */
  public boolean terminal() {
    return terminal;
  }
}

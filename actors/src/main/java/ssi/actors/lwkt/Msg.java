package ssi.actors.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An LWKT message: a request ({@link #body()}) that gets exactly one {@link Reply}.
 *
 * <p>Design: the message's {@link MsgState} is one atomic field. Every way a message can end —
 * {@code replymsg}, {@code abortmsg} while queued, {@code dropmsg}, a timeout, the agent's inline
 * answer — is a compare-and-set from a live state into a terminal one, and only the caller whose
 * CAS wins delivers the reply. So however replies, aborts, drops and timeouts race, the sender
 * sees one reply; the losers are refused (a losing {@code replymsg} is counted as a duplicate on
 * the port). Completion is only possible once the message has been routed ({@link MsgState#QUEUED}
 * or later), which is also what publishes the routing fields to other threads.
 *
 * <p>A message is used once: sending it twice is a bug and throws.
 *
 * @param <B> the body type
 * @param <R> the reply value type
 */
public final class Msg<B, R> {

  private static final AtomicLong IDS = new AtomicLong();
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Msg.class, "state", MsgState.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long id;
  private final B body;
  private final boolean abortable;
  private final boolean droppable;
  @SuppressWarnings("unused") // accessed through STATE
  private volatile MsgState state = MsgState.SENT;
  private volatile boolean abortRequested;
  private volatile Reply<R> reply;
  // Written before the volatile move out of SENT, read only after it: published by that move.
  private Port<B, R> port;
  private CompletableFuture<Reply<R>> future;
  private Port<B, R> replyPort;

  private Msg(B body, boolean abortable, boolean droppable) {
    this.id = IDS.incrementAndGet();
    this.body = body;
    this.abortable = abortable;
    this.droppable = droppable;
  }

  /** A plain message: neither abortable nor droppable. */
  public static <B, R> Msg<B, R> of(B body) {
    return new Msg<>(body, false, false);
  }

  /** A message the sender may {@link Lwkt#abortmsg abort}. */
  public static <B, R> Msg<B, R> abortable(B body) {
    return new Msg<>(body, true, false);
  }

  /** A message the port's owner may {@link Lwkt#dropmsg drop}. */
  public static <B, R> Msg<B, R> droppable(B body) {
    return new Msg<>(body, false, true);
  }

  /** A message with both flags chosen by the caller. */
  public static <B, R> Msg<B, R> of(B body, boolean abortable, boolean droppable) {
    return new Msg<>(body, abortable, droppable);
  }

  /** Node-unique id (the mesh adds the node to make it cluster-unique). */
  public long id() {
    return id;
  }

  /** The request. */
  public B body() {
    return body;
  }

  /** Whether {@code abortmsg} applies. */
  public boolean abortable() {
    return abortable;
  }

  /** Whether {@code dropmsg} applies. */
  public boolean droppable() {
    return droppable;
  }

  /** The current lifecycle state. */
  public MsgState state() {
    return (MsgState) STATE.getVolatile(this);
  }

  /** The reply once delivered, else null. */
  public Reply<R> reply() {
    return reply;
  }

  /** Whether an abort was requested while the target was processing; a long handler polls it. */
  public boolean abortRequested() {
    return abortRequested;
  }

  /** The port this message was sent to, or null before it is sent. */
  public Port<B, R> port() {
    return port;
  }

  /**
   * The target takes the message: returns false if it already ended (aborted while queued,
   * timed out, dropped), in which case the target must skip it. On a thread port only the owning
   * thread may take messages; anyone else gets an {@link IllegalStateException}.
   */
  public boolean begin() {
    port.checkReceiver();
    for (;;) {
      MsgState s = state();
      if (s != MsgState.QUEUED && s != MsgState.IN_TRANSIT) {
        return false;
      }
      if (STATE.compareAndSet(this, s, MsgState.PROCESSING)) {
        return true;
      }
    }
  }

  /** A proxy port marks the message as crossing nodes; false if it already ended. */
  public boolean markInTransit() {
    return STATE.compareAndSet(this, MsgState.QUEUED, MsgState.IN_TRANSIT);
  }

  /** The sender's deadline passed: ends the message with {@link Errno#ETIMEDOUT} unless it ended. */
  public boolean timeout() {
    return complete(MsgState.TIMED_OUT, Reply.error(Errno.ETIMEDOUT));
  }

  // ---- used by Port and Lwkt ----

  void routeQueued(Port<B, R> target, CompletableFuture<Reply<R>> f, Port<B, R> replyTo) {
    this.port = target;
    this.future = f;
    this.replyPort = replyTo;
    if (!STATE.compareAndSet(this, MsgState.SENT, MsgState.QUEUED)) {
      throw new IllegalStateException("message " + id + " was already sent (" + state() + ")");
    }
  }

  void finishInline(Port<B, R> target, Reply<R> r, Port<B, R> replyTo) {
    this.port = target;
    this.replyPort = replyTo;
    this.reply = r;
    if (!STATE.compareAndSet(this, MsgState.SENT, MsgState.DONE_INLINE)) {
      throw new IllegalStateException("message " + id + " was already sent (" + state() + ")");
    }
    if (replyTo != null) {
      replyTo.deliverReply(this);
    }
  }

  boolean reply(Reply<R> r) {
    return complete(MsgState.REPLIED, r);
  }

  boolean abort() {
    if (!abortable) {
      return false;
    }
    for (;;) {
      MsgState s = state();
      if (s == MsgState.PROCESSING) {
        abortRequested = true;
        port.abortRequested(this);
        return true;
      }
      if (s.terminal() || s == MsgState.SENT) {
        return false;
      }
      if (complete(s, MsgState.ABORTED, Reply.error(Errno.EINTR))) {
        return true;
      }
    }
  }

  boolean drop() {
    return droppable && complete(MsgState.DROPPED, Reply.error(Errno.ECANCELED));
  }

  /** Any live, routed state to {@code terminal}; false if the message already ended. */
  private boolean complete(MsgState terminal, Reply<R> r) {
    for (;;) {
      MsgState s = state();
      if (s.terminal() || s == MsgState.SENT) {
        return false;
      }
      if (complete(s, terminal, r)) {
        return true;
      }
    }
  }

  /** The single winning move: exactly one caller per message ever gets past the CAS. */
  private boolean complete(MsgState from, MsgState terminal, Reply<R> r) {
    if (!STATE.compareAndSet(this, from, terminal)) {
      return false;
    }
    reply = r;
    port.counted(terminal);
    if (future != null) {
      future.complete(r);
    } else if (replyPort != null) {
      replyPort.deliverReply(this);
    }
    return true;
  }

  @Override
  public String toString() {
    return "Msg[" + id + " " + state() + " " + body + "]";
  }
}

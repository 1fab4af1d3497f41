package ssi.actors.lwkt;

import java.util.concurrent.CompletionStage;

/**
 * The LWKT message calls under DragonFly's names ({@code replyValue} is {@code replymsg} with a
 * success value; it has its own name so a reply of type {@code Object} is never ambiguous), for code that reads like the seed:
 * {@code domsg}, {@code sendmsg}, {@code replymsg}, {@code abortmsg}, {@code dropmsg}.
 *
 * <pre>{@code
 * Lwkt.domsg(port, Msg.of(new Lookup("etc"))).thenAccept(reply -> ...);
 * // in the port's actor:
 * if (msg.begin()) Lwkt.replyValue(msg, inode);
 * }</pre>
 */
public final class Lwkt {

  private Lwkt() {
  }

  /** Synchronous from the caller's view; see {@link Port#domsg}. */
  public static <B, R> CompletionStage<Reply<R>> domsg(Port<B, R> port, Msg<B, R> msg) {
    return port.domsg(msg);
  }

  /** Asynchronous; the reply goes to {@code replyPort}. See {@link Port#sendmsg}. */
  public static <B, R> void sendmsg(Port<B, R> port, Msg<B, R> msg, Port<B, R> replyPort) {
    port.sendmsg(msg, replyPort);
  }

  /**
   * The target's one reply with a value. Returns false — and delivers nothing — if the message
   * already ended (a second reply, or a reply after an abort, drop or timeout); a second reply is
   * counted on the port as a refused duplicate.
   */
  public static <B, R> boolean replyValue(Msg<B, R> msg, R value) {
    return replymsg(msg, Reply.ok(value));
  }

  /** The target's one reply with an error. */
  public static <B, R> boolean replymsg(Msg<B, R> msg, Errno errno) {
    return replymsg(msg, Reply.error(errno));
  }

  /** The target's one reply. */
  public static <B, R> boolean replymsg(Msg<B, R> msg, Reply<R> reply) {
    if (msg.reply(reply)) {
      return true;
    }
    Port<B, R> port = msg.port();
    if (port != null) {
      port.duplicateRefused();
    }
    return false;
  }

  /**
   * Aborts an abortable message: still queued (or in transit) → ended now with
   * {@link Errno#EINTR}; being processed → the port's abort hook is told and the target replies;
   * already replied → nothing. Returns whether the abort took effect.
   */
  public static <B, R> boolean abortmsg(Msg<B, R> msg) {
    return msg.abort();
  }

  /** The port's owner drops a droppable message (replied {@link Errno#ECANCELED}). */
  public static <B, R> boolean dropmsg(Port<B, R> port, Msg<B, R> msg) {
    return port.dropmsg(msg);
  }
}

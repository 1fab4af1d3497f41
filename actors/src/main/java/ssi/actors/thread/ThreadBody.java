package ssi.actors.thread;

import ssi.actors.lwkt.Msg;

/**
 * What an LWKT thread does with each message taken from its thread port; it is also the thread's
 * state, and moves with the thread when the thread changes CPU. It runs on the thread's CPU, one
 * message at a time, and replies with {@link ssi.actors.lwkt.Lwkt#replyValue} or {@link ssi.actors.lwkt.Lwkt#replymsg}.
 *
 * @param <B> the body type of the messages
 * @param <R> the reply value type
 */
@FunctionalInterface
public interface ThreadBody<B, R> {

  /** Handles one message (already taken); must reply to it exactly once, now or later. */
  void handle(Msg<B, R> msg);
}

package ssi.bench.cache;

import akka.actor.typed.ActorRef;
import ssi.actors.SsiMessage;

/**
 * The raw Artery baseline's messages, registered with the project's Kryo serializer in the bench
 * module's {@code reference.conf} (ids 950-969).
 */
final class CacheMessages {

  private CacheMessages() {
  }

  /**
   * A request the size of a coherence read request (object, page, txn, serial) with the ask's
   * reply address.
   */
  record ProbeAsk(long obj, long page, long txn, long serial, ActorRef<ProbeReply> replyTo)
      implements SsiMessage {
  }

  /** The answer: the txn back and a state code, as a grant without data would carry. */
  record ProbeReply(long txn, int state) implements SsiMessage {
  }

  /** A detail's request: the same, answered with a 4 KiB page ({@link PageReply}). */
  record PageProbeAsk(long obj, long page, long txn, long serial, ActorRef<PageReply> replyTo)
      implements SsiMessage {
  }

  /** The answer to a {@link PageProbeAsk}: the txn back and a page, as a grant with data. */
  record PageReply(long txn, byte[] data) implements SsiMessage {
  }
}

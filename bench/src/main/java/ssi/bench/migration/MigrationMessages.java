package ssi.bench.migration;

import akka.actor.typed.ActorRef;
import ssi.actors.SsiMessage;

/**
 * The migration suite's own messages, registered with the project's Kryo serializer in the bench
 * module's {@code reference.conf} (ids 970-989).
 */
final class MigrationMessages {

  private MigrationMessages() {
  }

  /** The raw Artery baseline: a small request answered at once by a plain actor. */
  record ProbeAsk(long txn, ActorRef<ProbeReply> replyTo) implements SsiMessage {
  }

  /** The answer to a {@link ProbeAsk}: its txn back. */
  record ProbeReply(long txn) implements SsiMessage {
  }

  /**
   * The stop-and-copy baseline: pages of a process's address space read on the source, to be
   * written at {@code offset} of object {@code obj} on the target (-1: not written, only
   * acknowledged — the transfer alone).
   */
  record CopyPages(long obj, long offset, byte[] data, ActorRef<CopyAck> replyTo)
      implements SsiMessage {
  }

  /** The target wrote a {@link CopyPages} ({@code ok}) or could not. */
  record CopyAck(long offset, boolean ok) implements SsiMessage {
  }
}

package ssi.bench.mesh;

import akka.actor.typed.ActorRef;
import java.util.Objects;
import ssi.actors.SsiMessage;
import ssi.cluster.mesh.Bulk;

/**
 * The messages the mesh suite sends between its two nodes, registered with the project's Kryo
 * serializer in the bench module's {@code reference.conf} (ids 930-949).
 */
final class MeshMessages {

  private MeshMessages() {
  }

  /**
   * A coherence-sized request (the fields of a read request without its reply address): the body
   * of a proxy-port round trip.
   *
   * @param object the object id
   * @param page the page
   * @param epoch the directory epoch
   * @param serial the request's serial number
   */
  record Probe(long object, long page, long epoch, long serial) implements SsiMessage {
  }

  /**
   * The answer to a {@link Probe}, on both paths.
   *
   * @param serial the request's serial number
   * @param state a small state code, as a grant would carry
   */
  record ProbeReply(long serial, int state) implements SsiMessage {
  }

  /**
   * The raw Artery baseline's request: the same probe plus the ask's reply address (the mesh's
   * request carries its link's address the same way).
   *
   * @param probe the request
   * @param replyTo where the answer goes
   */
  record ProbeAsk(Probe probe, ActorRef<ProbeReply> replyTo) implements SsiMessage {
  }

  /**
   * Page data in transit: {@code data.length / 4096} pages. At one page or more it travels on the
   * mesh's bulk channel (Artery's large-message stream).
   *
   * @param id the batch's number
   * @param data the pages' bytes
   */
  record PageBatch(long id, byte[] data) implements SsiMessage, Bulk {

    PageBatch {
      Objects.requireNonNull(data, "data");
    }

    @Override
    public int bulkBytes() {
      return data.length;
    }
  }

  /**
   * The raw Artery diagnostic's bulk request: a batch sent straight to a plain actor on B (on the
   * large-message stream when its path is listed there), answered with the byte count.
   *
   * @param batch the pages
   * @param replyTo where the count goes
   */
  record PageAsk(PageBatch batch, ActorRef<Long> replyTo) implements SsiMessage {
  }
}

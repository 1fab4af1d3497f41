package ssi.cluster.mesh;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.Reply;

/**
 * The receiving half of the mesh on a node: it takes requests from remote links, delivers each to
 * the named local port at most once, and answers exactly once.
 *
 * <p>Design notes. Per remote link (node uid, CPU) it keeps the requests in progress and the
 * replies not yet acknowledged, keyed by link sequence number. A retransmitted request whose
 * reply is cached gets that reply again (a duplicate is never processed twice); one still in
 * progress is answered {@link MeshLink.Accepted} (its reply will come, the sender backs off); one below the link's acknowledged watermark is
 * stale and dropped. The sender's {@code ackBelow} lets it forget replies, so memory stays
 * bounded by the sender's credits. At most {@code inbound-per-link} requests of one remote link
 * are processed at once — the buffer space reserved per remote CPU, so a flooding sender cannot
 * take the others' share; a request beyond it is not taken and will be retransmitted. Two
 * instances run per node: the control endpoint and the bulk endpoint, the latter on Artery's
 * large-message stream.
 */
public final class MeshEndpoint extends AbstractBehavior<MeshEndpoint.Command> {

  /** The endpoint's protocol. */
  public interface Command extends SsiMessage {
  }

  /** A remote link's request for the local port named {@code port}. */
  public record Request(long senderUid, int senderCpu, long seq, long ackBelow, String port,
      byte[] body, int serializerId, String manifest, ActorRef<MeshLink.Command> replyTo)
      implements Command {

    Request withAckBelow(long ack) {
      return new Request(senderUid, senderCpu, seq, ack, port, body, serializerId, manifest,
          replyTo);
    }
  }

  private record Completed(LinkKey key, long seq, Reply<Object> reply) implements Command,
      NoSerializationVerificationNeeded {
  }

  private record MemberRemoved(long uid) implements Command, NoSerializationVerificationNeeded {
  }

  private record LinkKey(long uid, int cpu) {
  }

  /** One remote link's de-duplication state. */
  private static final class Inbound {
    final InboundCounters counters;
    final Map<Long, MeshLink.Response> replies = new HashMap<>();
    final Map<Long, ActorRef<MeshLink.Command>> inProgress = new HashMap<>();
    long watermark = 1;

    Inbound(InboundCounters counters) {
      this.counters = counters;
    }

    void acknowledge(long ackBelow) {
      if (ackBelow > watermark) {
        watermark = ackBelow;
        Iterator<Long> it = replies.keySet().iterator();
        while (it.hasNext()) {
          if (it.next() < watermark) {
            it.remove();
          }
        }
      }
      counters.cachedReplies = replies.size();
    }
  }

  private final Mesh mesh;
  private final String channel;
  private final MeshCodec codec;
  private final int inboundPerLink;
  private final Map<LinkKey, Inbound> links = new HashMap<>();

  static Behavior<Command> create(Mesh mesh, String channel, MeshCodec codec,
      int inboundPerLink) {
    return Behaviors.setup(ctx -> new MeshEndpoint(ctx, mesh, channel, codec, inboundPerLink));
  }

  private MeshEndpoint(ActorContext<Command> ctx, Mesh mesh, String channel, MeshCodec codec,
      int inboundPerLink) {
    super(ctx);
    this.mesh = mesh;
    this.channel = channel;
    this.codec = codec;
    this.inboundPerLink = inboundPerLink;
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
            e -> new MemberRemoved(e.member().uniqueAddress().longUid())),
        ClusterEvent.MemberRemoved.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Request.class, this::onRequest)
        .onMessage(Completed.class, this::onCompleted)
        .onMessage(MemberRemoved.class, this::onMemberRemoved)
        .build();
  }

  private Behavior<Command> onRequest(Request r) {
    if (!mesh.inboundFilter().accept(r)) {
      return this; // a test hook lost it on purpose
    }
    LinkKey key = new LinkKey(r.senderUid(), r.senderCpu());
    Inbound in = links.computeIfAbsent(key, k ->
        new Inbound(mesh.inboundCounters(r.replyTo().path().address().toString(), k.cpu(),
            channel)));
    in.acknowledge(r.ackBelow());
    if (r.seq() < in.watermark) {
      in.counters.duplicates.incrementAndGet(); // the sender saw this reply already
      return this;
    }
    MeshLink.Response cached = in.replies.get(r.seq());
    if (cached != null) {
      in.counters.duplicates.incrementAndGet();
      r.replyTo().tell(cached);
      return this;
    }
    if (in.inProgress.containsKey(r.seq())) {
      in.counters.duplicates.incrementAndGet();
      r.replyTo().tell(new MeshLink.Accepted(r.seq())); // still working on it: back off
      return this;
    }
    if (in.inProgress.size() >= inboundPerLink) {
      in.counters.deferred.incrementAndGet(); // over its reservation: retransmitted later
      return this;
    }
    Port<Object, Object> port = mesh.published(r.port());
    if (port == null) {
      answer(key, in, r.seq(), r.replyTo(), Reply.error(Errno.EBADF));
      return this;
    }
    Object body;
    try {
      body = codec.decode(r.body(), r.serializerId(), r.manifest());
    } catch (IllegalArgumentException e) {
      getContext().getLog().warn("mesh: refused a request for port {} from {}: {}", r.port(),
          r.replyTo().path().address(), e.getMessage());
      answer(key, in, r.seq(), r.replyTo(), Reply.error(Errno.EINVAL));
      return this;
    }
    in.inProgress.put(r.seq(), r.replyTo());
    in.counters.processed.incrementAndGet();
    getContext().pipeToSelf(port.domsg(Msg.of(body)), (reply, failure) -> new Completed(key,
        r.seq(), failure == null ? reply : Reply.error(Errno.EIO)));
    return this;
  }

  private Behavior<Command> onCompleted(Completed c) {
    Inbound in = links.get(c.key());
    if (in == null) {
      return this; // the sender's node was removed meanwhile
    }
    ActorRef<MeshLink.Command> replyTo = in.inProgress.remove(c.seq());
    if (replyTo != null) {
      answer(c.key(), in, c.seq(), replyTo, c.reply());
    }
    return this;
  }

  private void answer(LinkKey key, Inbound in, long seq, ActorRef<MeshLink.Command> replyTo,
      Reply<Object> reply) {
    MeshCodec.Encoded encoded;
    try {
      encoded = codec.encode(reply);
    } catch (IllegalArgumentException e) {
      getContext().getLog().warn("mesh: a reply of link {} is not serializable: {}", key,
          e.getMessage());
      encoded = codec.encode(Reply.error(Errno.EIO));
    }
    MeshLink.Response response = new MeshLink.Response(seq, encoded.bytes(),
        encoded.serializerId(), encoded.manifest());
    if (seq >= in.watermark) {
      in.replies.put(seq, response);
      in.counters.cachedReplies = in.replies.size();
    }
    in.counters.replyBytes.addAndGet(encoded.bytes().length);
    replyTo.tell(response);
  }

  private Behavior<Command> onMemberRemoved(MemberRemoved m) {
    links.keySet().removeIf(k -> k.uid() == m.uid());
    return this;
  }
}

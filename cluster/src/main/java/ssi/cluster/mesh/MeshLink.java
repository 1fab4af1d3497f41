package ssi.cluster.mesh;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.UniqueAddress;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;

/**
 * The sending half of one (local CPU, remote node) link: the proxy ports' messages to that node
 * leave through it.
 *
 * <p>Design notes. The link keeps the local copy of every message until its reply or a failure
 * (the seed's "local copy of message held until remote reply or failure"). At most
 * {@code credits} messages are outstanding; more wait in a bounded queue, beyond which a send is
 * refused with EAGAIN, never dropped. Each transmission carries the message's link sequence
 * number and {@code ackBelow}, the lowest sequence still unanswered, which lets the receiver
 * forget the replies it cached for de-duplication. A tick retransmits messages unanswered for
 * {@code retry-after} and ends those older than {@code request-timeout} with ETIMEDOUT; a request
 * the receiver reports as accepted (still being processed) is probed with doubling intervals
 * instead, so long-running requests cost little traffic. When the
 * remote node is downed, exits or is removed, every outstanding and queued message ends at once
 * with EHOSTDOWN, and so does every later send. Each message ends exactly once because every end
 * goes through the message's own compare-and-set ({@link Lwkt#replymsg}, {@link Msg#timeout}).
 */
public final class MeshLink extends AbstractBehavior<MeshLink.Command> {

  /** The link's protocol. */
  public interface Command extends SsiMessage {
  }

  /** From a proxy port (local only): send {@code msg} to the remote port named {@code port}. */
  record Send(Msg<Object, Object> msg, String port) implements Command,
      NoSerializationVerificationNeeded {
  }

  /** From the remote endpoint: the reply to the message with link sequence {@code seq}. */
  public record Response(long seq, byte[] reply, int serializerId, String manifest)
      implements Command {
  }

  /**
   * From the remote endpoint, in answer to a retransmission of a request it is still processing:
   * it has the request, so the link backs off (doubling its wait) instead of resending every
   * {@code retry-after} while a long request runs.
   */
  public record Accepted(long seq) implements Command {
  }

  private enum Tick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command,
      NoSerializationVerificationNeeded {
  }

  /** A message sent and not yet answered. */
  private static final class Pending {
    final Msg<Object, Object> msg;
    final MeshEndpoint.Request request;
    final boolean bulk;
    final long firstSent;
    long lastSent;
    long retryNanos;

    Pending(Msg<Object, Object> msg, MeshEndpoint.Request request, boolean bulk, long now,
        long retryNanos) {
      this.msg = msg;
      this.request = request;
      this.bulk = bulk;
      this.firstSent = now;
      this.lastSent = now;
      this.retryNanos = retryNanos;
    }
  }

  private record Waiting(Msg<Object, Object> msg, String port) {
  }

  private final UniqueAddress remote;
  private final int cpu;
  private final long selfUid;
  private final MeshSettings settings;
  private final MeshCodec codec;
  private final ActorRef<MeshEndpoint.Command> control;
  private final ActorRef<MeshEndpoint.Command> bulk;
  private final LinkCounters counters;
  private final Logger log;
  private final Map<Long, Pending> outstanding = new LinkedHashMap<>();
  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
  private long nextSeq = 1;
  private boolean down;

  static Behavior<Command> create(UniqueAddress remote, int cpu, MeshSettings settings,
      MeshCodec codec, ActorRef<MeshEndpoint.Command> control,
      ActorRef<MeshEndpoint.Command> bulk, LinkCounters counters) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new MeshLink(ctx, timers, remote, cpu, settings, codec, control, bulk, counters)));
  }

  private MeshLink(ActorContext<Command> ctx, TimerScheduler<Command> timers, UniqueAddress remote,
      int cpu, MeshSettings settings, MeshCodec codec, ActorRef<MeshEndpoint.Command> control,
      ActorRef<MeshEndpoint.Command> bulk, LinkCounters counters) {
    super(ctx);
    this.remote = remote;
    this.cpu = cpu;
    this.settings = settings;
    this.codec = codec;
    this.control = control;
    this.bulk = bulk;
    this.counters = counters;
    this.log = ctx.getLog();
    Cluster cluster = Cluster.get(ctx.getSystem());
    this.selfUid = cluster.selfMember().uniqueAddress().longUid();
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tick());
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new),
        ClusterEvent.MemberEvent.class));
    if (!isLive(cluster.state().getMembers(), remote)) {
      goDown("it is not a live member of the cluster");
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Send.class, this::onSend)
        .onMessage(Response.class, this::onResponse)
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onSend(Send s) {
    if (down) {
      endWith(s.msg(), Errno.EHOSTDOWN);
      counters.hostDown.incrementAndGet();
    } else if (outstanding.size() < settings.credits()) {
      transmitNew(s.msg(), s.port());
    } else if (queue.size() < settings.queueSize()) {
      queue.add(new Waiting(s.msg(), s.port()));
      counters.queued = queue.size();
    } else {
      endWith(s.msg(), Errno.EAGAIN);
      counters.refused.incrementAndGet();
    }
    return this;
  }

  private void transmitNew(Msg<Object, Object> msg, String port) {
    if (!msg.markInTransit()) {
      return; // ended while queued here (aborted, timed out by its sender)
    }
    MeshCodec.Encoded body;
    try {
      body = codec.encode(msg.body());
    } catch (IllegalArgumentException e) {
      log.warn("mesh: refusing a message to {} port {}: {}", remote.address(), port, e.getMessage());
      endWith(msg, Errno.EINVAL);
      counters.refused.incrementAndGet();
      return;
    }
    long seq = nextSeq++;
    boolean isBulk = msg.body() instanceof Bulk b && b.bulkBytes() >= settings.bulkThreshold();
    MeshEndpoint.Request request = new MeshEndpoint.Request(selfUid, cpu, seq, 0, port,
        body.bytes(), body.serializerId(), body.manifest(), getContext().getSelf());
    Pending p = new Pending(msg, request, isBulk, System.nanoTime(),
        settings.retryAfter().toNanos());
    outstanding.put(seq, p);
    counters.sent.incrementAndGet();
    counters.creditsInUse = outstanding.size();
    transmit(p);
  }

  private void transmit(Pending p) {
    MeshEndpoint.Request r = p.request.withAckBelow(ackBelow());
    (p.bulk ? bulk : control).tell(r);
    (p.bulk ? counters.bulkBytes : counters.controlBytes).addAndGet(r.body().length);
  }

  /** Every sequence number below this one has been answered or given up on. */
  private long ackBelow() {
    Iterator<Long> it = outstanding.keySet().iterator();
    return it.hasNext() ? it.next() : nextSeq;
  }

  private Behavior<Command> onResponse(Response r) {
    Pending p = outstanding.remove(r.seq());
    if (p == null) {
      counters.lateReplies.incrementAndGet();
      return this;
    }
    Reply<Object> reply;
    try {
      @SuppressWarnings("unchecked")
      Reply<Object> decoded = (Reply<Object>) codec.decode(r.reply(), r.serializerId(), r.manifest());
      reply = decoded;
    } catch (IllegalArgumentException | ClassCastException e) {
      log.warn("mesh: an unreadable reply from {}: {}", remote.address(), e.getMessage());
      reply = Reply.error(Errno.EIO);
    }
    if (!end(p.msg, reply)) {
      counters.lateReplies.incrementAndGet(); // the sender had already given up (abort)
    } else {
      counters.replies.incrementAndGet();
    }
    pump();
    return this;
  }

  private Behavior<Command> onAccepted(Accepted a) {
    Pending p = outstanding.get(a.seq());
    if (p != null) {
      p.lastSent = System.nanoTime();
      p.retryNanos = Math.min(p.retryNanos * 2, MAX_PROBE_NANOS);
    }
    return this;
  }

  /** The longest wait between probes of a request the receiver has accepted. */
  private static final long MAX_PROBE_NANOS = java.time.Duration.ofSeconds(30).toNanos();

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    long timeout = settings.requestTimeout().toNanos();
    Iterator<Pending> it = outstanding.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.msg.state().terminal()) {
        it.remove(); // ended by its sender (abort); frees the credit
      } else if (now - p.firstSent >= timeout) {
        it.remove();
        if (p.msg.timeout()) {
          counters.timeouts.incrementAndGet();
        }
      } else if (now - p.lastSent >= p.retryNanos) {
        p.lastSent = now;
        counters.retransmits.incrementAndGet();
        transmit(p);
      }
    }
    pump();
    return this;
  }

  /** Moves queued messages into free credits. */
  private void pump() {
    while (!down && outstanding.size() < settings.credits() && !queue.isEmpty()) {
      Waiting w = queue.poll();
      transmitNew(w.msg(), w.port());
    }
    counters.queued = queue.size();
    counters.creditsInUse = outstanding.size();
  }

  private Behavior<Command> onMemberChanged(MemberChanged m) {
    Member member = m.event().member();
    if (!down && member.uniqueAddress().equals(remote)
        && (m.event() instanceof ClusterEvent.MemberDowned
            || m.event() instanceof ClusterEvent.MemberExited
            || m.event() instanceof ClusterEvent.MemberRemoved)) {
      goDown("it is " + member.status());
    }
    return this;
  }

  private void goDown(String why) {
    down = true;
    counters.down = true;
    int n = failAll(Errno.EHOSTDOWN);
    log.info("mesh: link cpu {} to {} is down ({}); {} message(s) failed with EHOSTDOWN",
        cpu, remote.address(), why, n);
  }

  private int failAll(Errno errno) {
    int n = 0;
    for (Pending p : outstanding.values()) {
      n += endWith(p.msg, errno) ? 1 : 0;
    }
    outstanding.clear();
    for (Waiting w : queue) {
      n += endWith(w.msg(), errno) ? 1 : 0;
    }
    queue.clear();
    counters.hostDown.addAndGet(n);
    counters.queued = 0;
    counters.creditsInUse = 0;
    return n;
  }

  private Behavior<Command> onStop() {
    failAll(Errno.EHOSTDOWN); // this node is shutting down: still one reply each
    return this;
  }

  private static boolean endWith(Msg<Object, Object> msg, Errno errno) {
    return end(msg, Reply.error(errno));
  }

  /** {@link Lwkt#replymsg} with a whole {@link Reply}, for code in this package. */
  static <R> boolean end(Msg<Object, R> msg, Reply<R> reply) {
    return Lwkt.replymsg(msg, reply);
  }

  static boolean isLive(Iterable<Member> members, UniqueAddress node) {
    for (Member m : members) {
      if (m.uniqueAddress().equals(node)) {
        return switch (m.status().toString()) {
          case "Down", "Exiting", "Removed" -> false;
          default -> true;
        };
      }
    }
    return false;
  }
}

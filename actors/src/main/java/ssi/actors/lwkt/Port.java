package ssi.actors.lwkt;

import akka.actor.typed.ActorRef;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where LWKT messages are sent. A port has an optional {@link PortAgent} (the fast path, run in
 * the caller's thread) and a sink that queues a message to the port's actor (the slow path).
 *
 * <pre>{@code
 * Port<Get, Integer> port = Port.<Get, Integer>builder("counter", PortKind.SERIALIZER)
 *     .agent(msg -> snapshot.containsKey(msg.body().key()) ? Reply.ok(...) : null)
 *     .actor(counterActor, Counter.Request::new)
 *     .build();
 * CompletionStage<Reply<Integer>> r = Lwkt.domsg(port, Msg.of(new Get("k")));
 * }</pre>
 *
 * <p>A closed port answers every new message inline with {@link Errno#EBADF}; a reply-only port
 * answers {@link Errno#EINVAL}. Register a port with {@link Ports} to see it at {@code /ssi/ports}.
 *
 * @param <B> the body type of the messages it takes
 * @param <R> the reply value type
 */
public final class Port<B, R> {

  private static final Logger LOG = LoggerFactory.getLogger(Port.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final String name;
  private final PortKind kind;
  private final PortAgent<B, R> agent;
  private final Consumer<Msg<B, R>> abortHook;
  private final Runnable receiverCheck;
  private final PortCounters counters = new PortCounters();
  private volatile Consumer<Msg<B, R>> sink;
  private volatile boolean closed;
  private volatile Runnable onClose = () -> { };

  private Port(Builder<B, R> b) {
    this.name = b.name;
    this.kind = b.kind;
    this.agent = b.agent;
    this.abortHook = b.abortHook;
    this.receiverCheck = b.receiverCheck;
    this.sink = Objects.requireNonNull(b.sink, "a port needs a sink (actor or consumer)");
  }

  /** Starts building a port. */
  public static <B, R> Builder<B, R> builder(String name, PortKind kind) {
    return new Builder<>(name, kind);
  }

  /** Node-unique id. */
  public long id() {
    return id;
  }

  /** The name shown at {@code /ssi/ports}. */
  public String name() {
    return name;
  }

  /** The port's kind. */
  public PortKind kind() {
    return kind;
  }

  /** Whether the port refuses new messages. */
  public boolean closed() {
    return closed;
  }

  /**
   * Sends {@code msg} and returns its reply. Fast path: the agent answers inline and the returned
   * stage is already complete. Otherwise the message is queued to the port's actor.
   */
  public CompletionStage<Reply<R>> domsg(Msg<B, R> msg) {
    counters.sent.increment();
    Reply<R> inline = tryInline(msg);
    if (inline != null) {
      msg.finishInline(this, inline, null);
      counters.inline.increment();
      return CompletableFuture.completedFuture(inline);
    }
    CompletableFuture<Reply<R>> f = new CompletableFuture<>();
    enqueue(msg, f, null);
    return f;
  }

  /** Sends {@code msg} asynchronously; its one reply is delivered to {@code replyPort}. */
  public void sendmsg(Msg<B, R> msg, Port<B, R> replyPort) {
    Objects.requireNonNull(replyPort, "replyPort");
    counters.sent.increment();
    Reply<R> inline = tryInline(msg);
    if (inline != null) {
      counters.inline.increment();
      msg.finishInline(this, inline, replyPort);
      return;
    }
    enqueue(msg, null, replyPort);
  }

  /** The owner drops a droppable message it holds (replied {@link Errno#ECANCELED}). */
  public boolean dropmsg(Msg<B, R> msg) {
    if (msg.port() != this) {
      throw new IllegalArgumentException(msg + " was not sent to port " + name);
    }
    checkReceiver();
    return msg.drop();
  }

  /** Points the slow path at a new actor (a thread that moved CPU, a migrated driver). */
  public void rebind(Consumer<Msg<B, R>> newSink) {
    this.sink = Objects.requireNonNull(newSink, "newSink");
  }

  /** Refuses new messages from now on ({@link Errno#EBADF}); messages already queued stay. */
  public void close() {
    closed = true;
    onClose.run();
  }

  /** This port's counters now. */
  public PortStats stats() {
    return counters.snapshot(id, name, kind, closed);
  }

  // ---- package-private plumbing ----

  void onClose(Runnable r) {
    this.onClose = r;
  }

  void checkReceiver() {
    receiverCheck.run();
  }

  void counted(MsgState terminal) {
    counters.ended(terminal);
  }

  void duplicateRefused() {
    counters.duplicates.increment();
  }

  void abortRequested(Msg<B, R> msg) {
    abortHook.accept(msg);
  }

  void deliverReply(Msg<B, R> msg) {
    counters.queued.increment();
    sink.accept(msg);
  }

  private Reply<R> tryInline(Msg<B, R> msg) {
    if (closed) {
      return Reply.error(Errno.EBADF);
    }
    if (kind == PortKind.REPLY_ONLY) {
      return Reply.error(Errno.EINVAL);
    }
    if (agent == null) {
      return null;
    }
    try {
      return agent.tryInline(msg);
    } catch (RuntimeException e) {
      // An agent that throws is a bug; the sender still gets a value, never the exception.
      LOG.error("agent of port {} failed on {}", name, msg, e);
      return Reply.error(Errno.EIO);
    }
  }

  private void enqueue(Msg<B, R> msg, CompletableFuture<Reply<R>> f, Port<B, R> replyPort) {
    msg.routeQueued(this, f, replyPort);
    counters.queued.increment();
    sink.accept(msg);
  }

  @Override
  public String toString() {
    return "Port[" + id + " " + name + " " + kind + "]";
  }

  /**
   * Builds a {@link Port}.
   *
   * @param <B> the body type
   * @param <R> the reply value type
   */
  public static final class Builder<B, R> {
    private final String name;
    private final PortKind kind;
    private PortAgent<B, R> agent;
    private Consumer<Msg<B, R>> sink;
    private Consumer<Msg<B, R>> abortHook = m -> { };
    private Runnable receiverCheck = () -> { };

    private Builder(String name, PortKind kind) {
      this.name = Objects.requireNonNull(name, "name");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The fast path, run in the caller's thread. */
    public Builder<B, R> agent(PortAgent<B, R> a) {
      this.agent = a;
      return this;
    }

    /** The slow path: queue to {@code ref}, wrapping the message in the actor's protocol. */
    public <T> Builder<B, R> actor(ActorRef<T> ref, Function<Msg<B, R>, ? extends T> wrap) {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(wrap, "wrap");
      this.sink = m -> ref.tell(wrap.apply(m));
      return this;
    }

    /** The slow path as plain code (tests, adapters). */
    public Builder<B, R> sink(Consumer<Msg<B, R>> s) {
      this.sink = s;
      return this;
    }

    /** Told when an abortable message is aborted while the owner is processing it. */
    public Builder<B, R> abortHook(Consumer<Msg<B, R>> hook) {
      this.abortHook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /** Run on every take and drop; throws if the current thread may not receive (thread ports). */
    public Builder<B, R> receiverCheck(Runnable check) {
      this.receiverCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    /** The port. */
    public Port<B, R> build() {
      return new Port<>(this);
    }
  }
}

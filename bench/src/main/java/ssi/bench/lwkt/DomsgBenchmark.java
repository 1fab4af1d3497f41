package ssi.bench.lwkt;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Reply;

/**
 * {@code domsg} against Akka's ask on one local actor, throughput. {@code fast} is answered inline
 * by the port's agent in the caller's thread (each call synchronous, the stage already complete).
 * {@code queued} goes through the actor's mailbox and {@code ask} is {@link AskPattern#ask} to the
 * same actor; both keep {@link #IN_FLIGHT} requests outstanding per invocation and wait for all
 * replies, so the figure is the cost of each path rather than of two thread wake-ups per
 * synchronous round trip (which would hide any difference). Goals {@code domsg-fast-vs-ask}
 * (≥ 20) and {@code domsg-queued-vs-ask} (≥ 1), both against this pipelined ask — the stricter
 * baseline, since a pipelined ask is faster than a synchronous one.
 *
 * <p>Run: {@code bench/run lwkt}, or alone
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main DomsgBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DomsgBenchmark {

  /** Requests outstanding per invocation of the queued and ask benchmarks. */
  static final int IN_FLIGHT = 100;
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private ActorSystem<Void> system;
  private ActorRef<EchoTarget.Command> target;
  private Port<Integer, Integer> fastPort;
  private Port<Integer, Integer> queuedPort;
  private int n;

  /** Starts the node runtime and the target. */
  @Setup(Level.Trial)
  public void setUp() {
    system = BenchSystem.start("domsg", 2);
    target = system.systemActorOf(EchoTarget.create(), "echo", akka.actor.typed.Props.empty());
    fastPort = Port.<Integer, Integer>builder("echo-fast", PortKind.SERIALIZER)
        .agent(m -> Reply.ok(m.body() + 1)) // the answer needs no actor state: inline
        .actor(target, EchoTarget.Queued::new)
        .build();
    queuedPort = Port.<Integer, Integer>builder("echo-queued", PortKind.SERIALIZER)
        .actor(target, EchoTarget.Queued::new)
        .build();
  }

  /** Stops the runtime. */
  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
  }

  /** The fast path: agent answers in the caller's thread; the stage is already complete. */
  @Benchmark
  public Reply<Integer> fast() {
    return fastPort.domsg(Msg.of(n++)).toCompletableFuture().getNow(null);
  }

  /** The queued path: through the actor's mailbox, reply by {@code replymsg}. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public Object queued() {
    CompletableFuture<?>[] replies = new CompletableFuture<?>[IN_FLIGHT];
    for (int i = 0; i < IN_FLIGHT; i++) {
      replies[i] = queuedPort.domsg(Msg.of(n++)).toCompletableFuture();
    }
    return CompletableFuture.allOf(replies).join();
  }

  /** The baseline: Akka ask to the same actor. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public Object ask() {
    CompletableFuture<?>[] replies = new CompletableFuture<?>[IN_FLIGHT];
    for (int i = 0; i < IN_FLIGHT; i++) {
      int v = n++;
      replies[i] = AskPattern.<EchoTarget.Command, Integer>ask(target,
          replyTo -> new EchoTarget.Ask(v, replyTo), ASK_TIMEOUT, system.scheduler())
          .toCompletableFuture();
    }
    return CompletableFuture.allOf(replies).join();
  }
}

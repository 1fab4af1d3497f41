package ssi.bench.mesh;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.bench.mesh.MeshMessages.Probe;
import ssi.bench.mesh.MeshMessages.ProbeAsk;
import ssi.bench.mesh.MeshMessages.ProbeReply;

/**
 * Sequential round trips from node A to node B, one at a time from the calling thread, which
 * blocks on each reply: through the mesh ({@code Lwkt.domsg} on the proxy of B's probe port) and
 * through raw Artery (an {@code AskPattern.ask} of B's plain actor). Both carry the same
 * coherence-sized {@link Probe} and get the same {@link ProbeReply}; only the time from send to
 * reply in hand is taken, the reply is checked afterwards.
 */
final class RoundTrips {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long OBJECT = 42;
  private static final long EPOCH = 3;

  private final MeshNodes nodes;
  private final ActorSystem<Void> system;
  private long serial;

  RoundTrips(MeshNodes nodes) {
    this.nodes = nodes;
    this.system = nodes.nodeA();
  }

  /** {@code n} round trips through the proxy port, in nanoseconds each. */
  long[] proxy(int n) throws InterruptedException {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = proxyOnce();
    }
    return t;
  }

  /** {@code n} round trips by raw Artery ask, in nanoseconds each. */
  long[] ask(int n) throws InterruptedException {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = askOnce();
    }
    return t;
  }

  private long proxyOnce() throws InterruptedException {
    Probe p = next();
    long start = System.nanoTime();
    Reply<ProbeReply> r = await(Lwkt.domsg(nodes.probeProxy(), Msg.of(p)).toCompletableFuture());
    long elapsed = System.nanoTime() - start;
    if (!r.isOk() || r.value().serial() != p.serial()) {
      throw new IllegalStateException("the proxy round trip of " + p + " answered " + r);
    }
    return elapsed;
  }

  private long askOnce() throws InterruptedException {
    Probe p = next();
    long start = System.nanoTime();
    ProbeReply r = await(AskPattern.<ProbeAsk, ProbeReply>ask(nodes.responder(),
        replyTo -> new ProbeAsk(p, replyTo), TIMEOUT, system.scheduler()).toCompletableFuture());
    long elapsed = System.nanoTime() - start;
    if (r.serial() != p.serial()) {
      throw new IllegalStateException("the ask of " + p + " answered " + r);
    }
    return elapsed;
  }

  private Probe next() {
    long s = ++serial;
    return new Probe(OBJECT, s & 0xffff, EPOCH, s);
  }

  private static <T> T await(CompletableFuture<T> f)
      throws InterruptedException {
    try {
      return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a round trip failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("a round trip got no reply within " + TIMEOUT, e);
    }
  }
}

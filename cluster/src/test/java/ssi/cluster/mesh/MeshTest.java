package ssi.cluster.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.testing.LogCapture;

/**
 * The mesh between real actor systems over Artery TCP: remote domsg, retransmission of a lost
 * delivery processed once, duplicates answered from the reply cache, timeout, credits and the
 * bounded queue, EHOSTDOWN on node loss, and per-CPU links that keep a polite sender's latency
 * independent of a flooding one.
 */
@ExtendWith(LogCapture.class)
class MeshTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static List<ActorTestKit> kits;
  private static ActorTestKit a;
  private static ActorTestKit b;

  @BeforeAll
  static void startCluster() {
    kits = MeshTestCluster.start("MeshTest", 2);
    a = kits.get(0);
    b = kits.get(1);
  }

  @AfterAll
  static void stopCluster() {
    MeshTestCluster.stop(kits);
  }

  /** Publishes on {@code kit} a port that counts what it processes and replies via {@code how}. */
  private static Port<Object, Object> publish(ActorTestKit kit, String name, AtomicInteger processed,
      java.util.function.Consumer<Msg<Object, Object>> how) {
    Port<Object, Object> port = Port.<Object, Object>builder(name, PortKind.SERIALIZER)
        .sink(msg -> {
          if (msg.begin()) {
            processed.incrementAndGet();
            how.accept(msg);
          }
        }).build();
    return Mesh.get(kit.system()).publish(name, port);
  }

  private static void upper(Msg<Object, Object> msg) {
    MeshLink.end(msg, Reply.ok(((String) msg.body()).toUpperCase()));
  }

  private static Reply<Object> await(CompletionStage<Reply<Object>> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void domsgReachesARemotePortAndALocalOneTheSameWay() throws Exception {
    AtomicInteger processed = new AtomicInteger();
    publish(b, "t.upper", processed, MeshTest::upper);
    Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(b), "t.upper");

    Reply<Object> r = await(Lwkt.domsg(remote, Msg.of("abc")));

    assertEquals(Reply.ok("ABC"), r);
    Port<Object, Object> local = Mesh.get(b.system()).proxy(MeshTestCluster.address(b), "t.upper");
    assertEquals(Reply.ok("XY"), await(Lwkt.domsg(local, Msg.of("xy"))));
    assertEquals(2, processed.get());
  }

  @Test
  void proxiesAreBoundedAndADroppedOneStillWorks() throws Exception {
    AtomicInteger processed = new AtomicInteger();
    publish(b, "t.many", processed, MeshTest::upper);
    Mesh mesh = Mesh.get(a.system());
    Port<Object, Object> early = mesh.proxy(MeshTestCluster.address(b), "t.many");
    int max = mesh.settings().maxProxies();
    for (int i = 0; i < max + 50; i++) { // e.g. one per descriptor of many processes
      mesh.proxy(MeshTestCluster.address(b), "t.name-" + i);
    }
    assertTrue(mesh.proxyCount() <= max, "at most max-proxies kept: " + mesh.proxyCount());
    assertTrue(Ports.get(a.system()).size() < max + 50, "dropped ones are not listed either");
    assertEquals(Reply.ok("KEPT"), await(Lwkt.domsg(early, Msg.of("kept"))),
        "a proxy dropped from the cache still carries its messages");
    Port<Object, Object> again = mesh.proxy(MeshTestCluster.address(b), "t.many");
    assertEquals(Reply.ok("MADE"), await(Lwkt.domsg(again, Msg.of("made"))));
    assertEquals(2, processed.get());
  }

  @Test
  void anUnknownRemotePortAnswersEbadf() throws Exception {
    Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(b), "t.none");
    assertEquals(Errno.EBADF, await(Lwkt.domsg(remote, Msg.of("x"))).errno());
  }

  @Test
  void aLostFirstDeliveryIsRetransmittedAndProcessedOnce() throws Exception {
    AtomicInteger processed = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    publish(b, "t.lossy", processed, MeshTest::upper);
    Mesh.get(b.system()).setInboundFilter(r -> !r.port().equals("t.lossy") || lost.getAndIncrement() > 0);
    try {
      Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(b), "t.lossy");
      Reply<Object> r = await(Lwkt.domsg(remote, Msg.of("once")));

      assertEquals(Reply.ok("ONCE"), r);
      assertTrue(lost.get() >= 2, "the first delivery was lost and a retransmit arrived");
      assertEquals(1, processed.get(), "processed exactly once");
      assertTrue(Mesh.get(a.system()).links().stream().mapToLong(LinkStats::retransmits).sum() >= 1);
    } finally {
      Mesh.get(b.system()).setInboundFilter(InboundFilter.ACCEPT_ALL);
    }
  }

  @Test
  void aDuplicateDeliveryIsAnsweredFromTheReplyCache() {
    AtomicInteger processed = new AtomicInteger();
    publish(b, "t.dup", processed, MeshTest::upper);
    TestProbe<MeshLink.Command> replies = a.createTestProbe();
    ActorRef<MeshEndpoint.Command> endpoint = ActorRefResolver.get(a.system())
        .resolveActorRef(MeshTestCluster.address(b) + Mesh.CONTROL_PATH);
    MeshCodec codec = new MeshCodec(a.system());
    MeshCodec.Encoded body = codec.encode("dup");
    // A link of our own making (uid 42, cpu 7): the same request delivered twice.
    MeshEndpoint.Request request = new MeshEndpoint.Request(42L, 7, 1, 1, "t.dup", body.bytes(),
        body.serializerId(), body.manifest(), replies.getRef());

    endpoint.tell(request);
    MeshLink.Response first = replies.expectMessageClass(MeshLink.Response.class, WAIT);
    endpoint.tell(request);
    MeshLink.Response second = replies.expectMessageClass(MeshLink.Response.class, WAIT);

    assertEquals(1, processed.get(), "the duplicate was not processed again");
    assertEquals(Reply.ok("DUP"), codec.decode(second.reply(), second.serializerId(), second.manifest()));
    assertEquals(first.seq(), second.seq());
    InboundStats in = Mesh.get(b.system()).inbound().stream()
        .filter(s -> s.cpu() == 7).findFirst().orElseThrow();
    assertEquals(1, in.duplicatesSuppressed());

    // Once the sender acknowledges seq 1, the cached reply is forgotten and a late copy ignored.
    MeshCodec.Encoded next = codec.encode("next");
    endpoint.tell(new MeshEndpoint.Request(42L, 7, 2, 2, "t.dup", next.bytes(),
        next.serializerId(), next.manifest(), replies.getRef()));
    assertEquals(2, replies.expectMessageClass(MeshLink.Response.class, WAIT).seq());
    endpoint.tell(request);
    replies.expectNoMessage(Duration.ofMillis(300));
    assertEquals(2, processed.get());
  }

  @Test
  void aMessageWithoutReplyTimesOut() throws Exception {
    publish(b, "t.silent", new AtomicInteger(), msg -> { });
    Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(b), "t.silent");

    Reply<Object> r = await(Lwkt.domsg(remote, Msg.of("anyone?")));

    assertEquals(Errno.ETIMEDOUT, r.errno());
    // the counter is bumped right after the reply is delivered: poll for it
    a.createTestProbe().awaitAssert(WAIT, () -> {
      assertTrue(Mesh.get(a.system()).links().stream().mapToLong(LinkStats::timeouts).sum() >= 1);
      return null;
    });
  }

  @Test
  void creditsBoundTheOutstandingMessagesThenTheQueueThenEagain() throws Exception {
    ConcurrentLinkedQueue<Msg<Object, Object>> holding = new ConcurrentLinkedQueue<>();
    AtomicInteger processed = new AtomicInteger();
    publish(b, "t.hold", processed, holding::add);
    Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(b), "t.hold");
    MeshSettings s = Mesh.get(a.system()).settings();
    int total = s.credits() + s.queueSize() + 2;

    // All from CPU 0's thread, so all through one link.
    List<CompletableFuture<Reply<Object>>> replies = new ArrayList<>();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    Cpus.get(a.system()).ipi(0, cpu -> {
      for (int i = 0; i < total; i++) {
        replies.add(Lwkt.domsg(remote, Msg.of("m" + i)).toCompletableFuture());
      }
      sent.complete(null);
    });
    sent.get(10, TimeUnit.SECONDS);

    TestProbe<Object> probe = a.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertEquals(s.credits(), processed.get(), "only the credit window reached the receiver");
      return null;
    });
    long eagain = replies.stream().filter(f -> f.isDone() && f.join().errno() == Errno.EAGAIN).count();
    assertEquals(2, eagain, "beyond credits + queue, a send fails with EAGAIN at once");
    LinkStats link = Mesh.get(a.system()).links().stream()
        .filter(l -> l.cpu() == 0 && l.creditsInUse() == s.credits()).findFirst().orElseThrow();
    assertEquals(s.queueSize(), link.queued());

    // Replying frees credits; the queued messages follow and all get their reply.
    probe.awaitAssert(WAIT, () -> {
      Msg<Object, Object> m;
      while ((m = holding.poll()) != null) {
        upper(m);
      }
      assertEquals(total - 2, processed.get());
      return null;
    });
    probe.awaitAssert(WAIT, () -> {
      Msg<Object, Object> m;
      while ((m = holding.poll()) != null) {
        upper(m);
      }
      assertTrue(replies.stream().allMatch(CompletableFuture::isDone));
      return null;
    });
    assertEquals(total - 2, replies.stream().filter(f -> f.join().isOk()).count());
  }

  @Test
  void aFloodingCpuDoesNotDelayAPoliteOne() throws Exception {
    // The flooder's replies come slowly; the polite sender's at once.
    publish(b, "t.slow", new AtomicInteger(), msg -> b.system().scheduler().scheduleOnce(
        Duration.ofMillis(300), () -> upper(msg), b.system().executionContext()));
    publish(b, "t.fast", new AtomicInteger(), MeshTest::upper);
    Mesh mesh = Mesh.get(a.system());
    Port<Object, Object> slow = mesh.proxy(MeshTestCluster.address(b), "t.slow");
    Port<Object, Object> fast = mesh.proxy(MeshTestCluster.address(b), "t.fast");
    MeshSettings s = mesh.settings();
    int flood = s.credits() + s.queueSize();
    List<CompletableFuture<Reply<Object>>> flooded = new ArrayList<>();
    CompletableFuture<Void> floodSent = new CompletableFuture<>();
    Cpus.get(a.system()).ipi(0, cpu -> {
      for (int i = 0; i < flood; i++) {
        flooded.add(Lwkt.domsg(slow, Msg.of("f" + i)).toCompletableFuture());
      }
      floodSent.complete(null);
    });
    floodSent.get(10, TimeUnit.SECONDS);

    CompletableFuture<Reply<Object>> polite = new CompletableFuture<>();
    Cpus.get(a.system()).ipi(1, cpu ->
        Lwkt.domsg(fast, Msg.of("p")).whenComplete((r, e) -> polite.complete(r)));

    assertEquals(Reply.ok("P"), polite.get(10, TimeUnit.SECONDS));
    long floodDone = flooded.stream().filter(CompletableFuture::isDone).count();
    assertTrue(floodDone < flood, "the polite reply came while the flood was still draining ("
        + floodDone + " of " + flood + " done)");
    for (CompletableFuture<Reply<Object>> f : flooded) {
      assertTrue(f.get(10, TimeUnit.SECONDS).isOk(), "every flooded message is answered too");
    }
  }

  @Test
  void everyOutstandingMessageFailsWithEhostdownWhenItsNodeIsDowned() throws Exception {
    ActorTestKit c = MeshTestCluster.join("MeshTest", a, 3);
    try {
      publish(c, "t.never", new AtomicInteger(), msg -> { });
      Port<Object, Object> remote = Mesh.get(a.system()).proxy(MeshTestCluster.address(c), "t.never");
      List<CompletableFuture<Reply<Object>>> replies = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        replies.add(Lwkt.domsg(remote, Msg.of("x" + i)).toCompletableFuture());
      }
      TestProbe<Object> probe = a.createTestProbe();
      probe.awaitAssert(WAIT, () -> {
        assertTrue(Mesh.get(a.system()).links().stream()
            .filter(l -> l.node().equals(MeshTestCluster.address(c).toString()))
            .mapToInt(LinkStats::creditsInUse).sum() > 0);
        return null;
      });

      long t0 = System.nanoTime();
      Cluster.get(a.system()).manager().tell(new Down(MeshTestCluster.address(c)));

      for (CompletableFuture<Reply<Object>> f : replies) {
        assertEquals(Errno.EHOSTDOWN, f.get(5, TimeUnit.SECONDS).errno());
      }
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
      assertEquals(Errno.EHOSTDOWN, await(Lwkt.domsg(remote, Msg.of("late"))).errno(),
          "a send after the loss fails at once too");
      assertNotNull(remote);
    } finally {
      c.shutdownTestKit();
    }
  }
}

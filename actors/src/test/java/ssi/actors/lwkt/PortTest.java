package ssi.actors.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.testing.LogCapture;

/** Ports: fast and queued paths, port kinds, abort/drop/timeout and the counters they leave. */
@ExtendWith(LogCapture.class)
class PortTest {

  private static final ActorTestKit KIT = ActorTestKit.create("PortTest");

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** An actor that takes each message and replies with the body's length. */
  private static ActorRef<Msg<String, Integer>> lengthActor() {
    return KIT.spawn(Behaviors.receiveMessage(m -> {
      if (m.begin()) {
        Lwkt.replyValue(m, m.body().length());
      }
      return Behaviors.same();
    }));
  }

  @Test
  void fastPathCompletesInlineInTheCallersThread() {
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> agentThread = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("fast", PortKind.SERIALIZER)
        .agent(m -> {
          agentThread.set(Thread.currentThread());
          return m.body().startsWith("q") ? null : Reply.ok(m.body().length());
        })
        .actor(lengthActor(), m -> m)
        .build();
    Msg<String, Integer> msg = Msg.of("abc");
    CompletableFuture<Reply<Integer>> f = port.domsg(msg).toCompletableFuture();
    assertTrue(f.isDone(), "fast path returns an already-complete stage");
    assertEquals(Reply.ok(3), f.getNow(null));
    assertEquals(caller, agentThread.get());
    assertEquals(MsgState.DONE_INLINE, msg.state());

    Msg<String, Integer> slow = Msg.of("queued");
    assertEquals(Reply.ok(6), port.domsg(slow).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join());
    assertEquals(MsgState.REPLIED, slow.state());
    PortStats s = port.stats();
    assertEquals(2, s.sent());
    assertEquals(1, s.inline());
    assertEquals(1, s.queued());
    assertEquals(1, s.replied());
    assertEquals(0, s.inFlight());
  }

  @Test
  void sendmsgDeliversTheReplyToTheReplyPortActor() {
    TestProbe<Msg<String, Integer>> probe = KIT.createTestProbe();
    Port<String, Integer> port = Port.<String, Integer>builder("async", PortKind.SERIALIZER)
        .actor(lengthActor(), m -> m).build();
    Port<String, Integer> replies = Port.<String, Integer>builder("async-replies", PortKind.REPLY_ONLY)
        .actor(probe.getRef(), m -> m).build();
    Msg<String, Integer> msg = Msg.of("hello");
    Lwkt.sendmsg(port, msg, replies);
    Msg<String, Integer> back = probe.receiveMessage();
    assertEquals(msg, back);
    assertEquals(Reply.ok(5), back.reply());
    probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void secondReplyIsRefusedAndCounted() {
    AtomicReference<Msg<String, Integer>> held = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("dup", PortKind.SERIALIZER)
        .sink(held::set).build();
    CompletableFuture<Reply<Integer>> f = port.domsg(Msg.of("x")).toCompletableFuture();
    Msg<String, Integer> m = held.get();
    assertTrue(m.begin());
    assertTrue(Lwkt.replyValue(m, 1));
    assertFalse(Lwkt.replyValue(m, 2));
    assertFalse(Lwkt.replymsg(m, Errno.EIO));
    assertEquals(Reply.ok(1), f.join());
    assertEquals(2, port.stats().duplicateRepliesRefused());
    assertThrows(IllegalStateException.class, () -> port.domsg(m), "a message is sent once");
  }

  @Test
  void abortWhileQueuedRepliesEintrAndTheTargetSkipsIt() {
    AtomicReference<Msg<String, Integer>> held = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("abort", PortKind.SERIALIZER)
        .sink(held::set).build();
    Msg<String, Integer> m = Msg.abortable("x");
    CompletableFuture<Reply<Integer>> f = port.domsg(m).toCompletableFuture();
    assertTrue(Lwkt.abortmsg(m));
    assertEquals(Reply.error(Errno.EINTR), f.join());
    assertEquals(MsgState.ABORTED, m.state());
    assertFalse(held.get().begin(), "an aborted message is not processed");
    assertFalse(Lwkt.abortmsg(m), "already ended: nothing happens");
    assertEquals(1, port.stats().aborted());

    Msg<String, Integer> plain = Msg.of("y");
    port.domsg(plain);
    assertFalse(Lwkt.abortmsg(plain), "only abortable messages can be aborted");
  }

  @Test
  void abortWhileProcessingTellsTheHookAndTheTargetStillRepliesOnce() {
    AtomicReference<Msg<String, Integer>> held = new AtomicReference<>();
    AtomicReference<Msg<String, Integer>> hooked = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("abort-hook", PortKind.SERIALIZER)
        .sink(held::set).abortHook(hooked::set).build();
    Msg<String, Integer> m = Msg.abortable("x");
    CompletableFuture<Reply<Integer>> f = port.domsg(m).toCompletableFuture();
    assertTrue(m.begin());
    assertTrue(Lwkt.abortmsg(m));
    assertEquals(m, hooked.get());
    assertTrue(m.abortRequested());
    assertFalse(f.isDone(), "the target decides the reply");
    assertTrue(Lwkt.replymsg(m, Errno.EINTR));
    assertEquals(Reply.error(Errno.EINTR), f.join());
  }

  @Test
  void dropAndTimeoutEndTheMessageWithTheirErrno() {
    AtomicReference<Msg<String, Integer>> held = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("drop", PortKind.SERIALIZER)
        .sink(held::set).build();
    Msg<String, Integer> d = Msg.droppable("x");
    CompletableFuture<Reply<Integer>> fd = port.domsg(d).toCompletableFuture();
    assertTrue(Lwkt.dropmsg(port, d));
    assertEquals(Reply.error(Errno.ECANCELED), fd.join());
    Msg<String, Integer> nd = Msg.of("y");
    port.domsg(nd);
    assertFalse(Lwkt.dropmsg(port, nd), "only droppable messages can be dropped");

    Msg<String, Integer> t = Msg.of("z");
    CompletableFuture<Reply<Integer>> ft = Ports.get(KIT.system())
        .domsg(port, t, Duration.ofMillis(50)).toCompletableFuture();
    assertEquals(Reply.error(Errno.ETIMEDOUT), ft.orTimeout(5, TimeUnit.SECONDS).join());
    assertEquals(MsgState.TIMED_OUT, t.state());
    assertFalse(Lwkt.replyValue(t, 1), "a late reply is refused");
    PortStats s = port.stats();
    assertEquals(1, s.dropped());
    assertEquals(1, s.timedOut());
    assertEquals(1, s.duplicateRepliesRefused());
  }

  @Test
  void closedAndReplyOnlyPortsAnswerInlineWithErrno() {
    Port<String, Integer> port = Port.<String, Integer>builder("closing", PortKind.SERIALIZER)
        .sink(m -> { }).build();
    Ports.get(KIT.system()).register(port);
    assertTrue(Ports.get(KIT.system()).all().stream().anyMatch(p -> p.id() == port.id()));
    port.close();
    assertFalse(Ports.get(KIT.system()).all().stream().anyMatch(p -> p.id() == port.id()));
    assertEquals(Reply.error(Errno.EBADF), port.domsg(Msg.of("x")).toCompletableFuture().getNow(null));

    Port<String, Integer> replyOnly = Port.<String, Integer>builder("r", PortKind.REPLY_ONLY)
        .sink(m -> { }).build();
    assertEquals(Reply.error(Errno.EINVAL), replyOnly.domsg(Msg.of("x")).toCompletableFuture().getNow(null));
  }

  @Test
  void agentThatThrowsBecomesEioNotAnException() {
    Port<String, Integer> port = Port.<String, Integer>builder("buggy", PortKind.SERIALIZER)
        .agent(m -> { throw new IllegalStateException("bug"); }).sink(m -> { }).build();
    assertEquals(Reply.error(Errno.EIO), port.domsg(Msg.of("x")).toCompletableFuture().getNow(null));
  }

  @Test
  void threadPortRefusesReceiversOtherThanItsOwner() {
    Thread owner = Thread.currentThread();
    AtomicReference<Msg<String, Integer>> held = new AtomicReference<>();
    Port<String, Integer> port = Port.<String, Integer>builder("thread", PortKind.THREAD)
        .sink(held::set)
        .receiverCheck(() -> {
          if (Thread.currentThread() != owner) {
            throw new IllegalStateException("not the owner");
          }
        }).build();
    port.domsg(Msg.of("x"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        held.get().begin();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    other.start();
    assertTrue(joined(other));
    assertTrue(failure.get() instanceof IllegalStateException);
    assertTrue(held.get().begin(), "the owner may take it");
  }

  @Test
  void topListsTheBusiestPortsFirst() {
    Ports ports = Ports.get(KIT.system());
    Port<String, Integer> busy = ports.register(Port.<String, Integer>builder("busy", PortKind.SERIALIZER)
        .agent(m -> Reply.ok(0)).sink(m -> { }).build());
    Port<String, Integer> quiet = ports.register(Port.<String, Integer>builder("quiet", PortKind.SERIALIZER)
        .agent(m -> Reply.ok(0)).sink(m -> { }).build());
    for (int i = 0; i < 1000; i++) {
      busy.domsg(Msg.of("x"));
    }
    quiet.domsg(Msg.of("x"));
    assertEquals("busy", ports.top(1).get(0).name());
    assertEquals(1, ports.top(1).size());
    busy.close();
    quiet.close();
  }

  private static boolean joined(Thread t) {
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }
}

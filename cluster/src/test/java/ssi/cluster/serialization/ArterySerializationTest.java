package ssi.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.SsiMessage;
import ssi.cluster.serialization.TestMessages.Inner;
import ssi.cluster.serialization.TestMessages.Kind;
import ssi.cluster.serialization.TestMessages.Ping;
import ssi.cluster.serialization.TestMessages.Pong;
import ssi.testing.LogCapture;

/** Two actor systems in one JVM talking over real Artery TCP on loopback. */
@ExtendWith(LogCapture.class)
class ArterySerializationTest {

  /** The sender registers Secret; the receiver does not, so it must refuse it and go on. */
  private static final ActorTestKit sender =
      ActorTestKit.create("sender", TestConfigs.remote(true));
  private static final ActorTestKit receiver =
      ActorTestKit.create("receiver", TestConfigs.remote(false));

  @AfterAll
  static void shutdown() {
    sender.shutdownTestKit();
    receiver.shutdownTestKit();
  }

  /** Answers a Ping with a Pong; reports anything else to {@code seen}. */
  private static Behavior<SsiMessage> echo(ActorRef<SsiMessage> seen) {
    return Behaviors.receiveMessage(msg -> {
      if (msg instanceof Ping p) {
        p.replyTo().tell(new Pong(p.seq(), p.data().length));
      }
      seen.tell(msg);
      return Behaviors.same();
    });
  }

  private static ActorRef<SsiMessage> remoteRef(ActorRef<SsiMessage> local) {
    String path = ActorRefResolver.get(receiver.system()).toSerializationFormat(local);
    return ActorRefResolver.get(sender.system()).resolveActorRef(path);
  }

  private static Ping ping(long seq, ActorRef<Pong> replyTo) {
    return new Ping(seq, List.of(seq), Set.of("t"), Map.of("k", 1), Kind.READ, new byte[4096],
        new Inner("x", 1), replyTo);
  }

  @Test
  void aMessageCrossesArteryAndItsReplyComesBackThroughTheSerializedRef() {
    TestProbe<SsiMessage> seen = receiver.createTestProbe();
    ActorRef<SsiMessage> target = remoteRef(receiver.spawn(echo(seen.getRef())));
    TestProbe<Pong> replies = sender.createTestProbe();

    target.tell(ping(7, replies.getRef()));

    assertEquals(new Pong(7, 4096), replies.receiveMessage(Duration.ofSeconds(10)));
    Ping arrived = (Ping) seen.receiveMessage();
    assertEquals(List.of(7L), arrived.ids());
    assertFalse(arrived.replyTo().path().address().hasLocalScope(),
        "the reply-to ref arrived as a remote ref to the sender");
  }

  @Test
  void anUnregisteredClassIsRefusedAndTheReceiverKeepsRunning() {
    TestProbe<SsiMessage> seen = receiver.createTestProbe();
    ActorRef<SsiMessage> target = remoteRef(receiver.spawn(echo(seen.getRef())));
    TestProbe<Pong> replies = sender.createTestProbe();
    target.tell(ping(1, replies.getRef()));
    assertEquals(1, replies.receiveMessage(Duration.ofSeconds(10)).seq());
    seen.receiveMessage();

    target.tell(new TestMessages.Secret("must not arrive"));
    target.tell(ping(2, replies.getRef()));

    // Artery delivers in order: when ping 2 is answered, Secret has been refused and dropped.
    assertEquals(2, replies.receiveMessage(Duration.ofSeconds(10)).seq());
    SsiMessage next = seen.receiveMessage();
    assertEquals(Ping.class, next.getClass(), "the refused Secret never reached the actor");
    seen.expectNoMessage(Duration.ofMillis(200));
    assertFalse(receiver.system().whenTerminated().isCompleted(), "the receiver keeps running");
  }
}

package ssi.cluster.serialization;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ssi.actors.SsiMessage;

/** Messages used by the serializer tests; registered under ids 1000+ in {@link TestConfigs}. */
final class TestMessages {

  private TestMessages() {
  }

  enum Kind { READ, WRITE }

  record Inner(String text, int n) implements SsiMessage {
  }

  record Ping(long seq, List<Long> ids, Set<String> tags, Map<String, Integer> attrs, Kind kind,
      byte[] data, Inner inner, ActorRef<Pong> replyTo) implements SsiMessage {
  }

  record Pong(long seq, int dataLength) implements SsiMessage {
  }

  /** Registered only on senders in the refusal test: receivers must refuse it. */
  record Secret(String payload) implements SsiMessage {
  }

  /** Never registered anywhere. */
  record Unregistered(String payload) implements SsiMessage {
  }
}

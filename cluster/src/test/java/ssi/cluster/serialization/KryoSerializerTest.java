package ssi.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.cluster.serialization.TestMessages.Inner;
import ssi.cluster.serialization.TestMessages.Kind;
import ssi.cluster.serialization.TestMessages.Ping;
import ssi.cluster.serialization.TestMessages.Pong;
import ssi.testing.LogCapture;

@ExtendWith(LogCapture.class)
class KryoSerializerTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("KryoSerializerTest", TestConfigs.local());
  private static final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(KryoSerializer.class, serializer, "SsiMessage must bind to the Kryo serializer");
    byte[] bytes = serializer.toBinary(message);
    return serialization.deserialize(bytes, serializer.identifier(), "").get();
  }

  @Test
  void recordWithActorRefListSetMapEnumAndBytesSurvivesARoundTrip() {
    TestProbe<Pong> probe = testKit.createTestProbe();
    byte[] data = new byte[4096];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Ping ping = new Ping(42L, List.of(1L, 2L, 3L), Set.of("a", "b"), Map.of("x", 1, "y", 2),
        Kind.WRITE, data, new Inner("inner", 7), probe.getRef());

    Ping back = (Ping) roundTrip(ping);

    assertEquals(42L, back.seq());
    assertEquals(List.of(1L, 2L, 3L), back.ids());
    assertEquals(Set.of("a", "b"), back.tags());
    assertEquals(Map.of("x", 1, "y", 2), back.attrs());
    assertEquals(Kind.WRITE, back.kind());
    assertArrayEquals(data, back.data());
    assertEquals(new Inner("inner", 7), back.inner());
    assertEquals(probe.getRef(), back.replyTo());
    assertThrows(UnsupportedOperationException.class, () -> back.ids().add(4L),
        "an immutable list comes back immutable");
    back.replyTo().tell(new Pong(1, 0));
    assertEquals(new Pong(1, 0), probe.receiveMessage(), "the resolved ref reaches the probe");
  }

  @Test
  void emptyAndSingletonCollectionsSurviveARoundTrip() {
    TestProbe<Pong> probe = testKit.createTestProbe();
    Ping ping = new Ping(1L, List.of(), Set.of("only"), Map.of(), Kind.READ, new byte[0],
        new Inner("", 0), probe.getRef());
    Ping back = (Ping) roundTrip(ping);
    assertEquals(List.of(), back.ids());
    assertEquals(Set.of("only"), back.tags());
    assertEquals(Map.of(), back.attrs());
    assertEquals(0, back.data().length);
  }

  @Test
  void anUnregisteredClassIsRefusedWithAClearError() {
    Serializer serializer =
        serialization.findSerializerFor(new TestMessages.Unregistered("x"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> serializer.toBinary(new TestMessages.Unregistered("x")));
    assertTrue(e.getMessage().contains("TestMessages$Unregistered"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("not registered"), e.getMessage());
  }

  @Test
  void bytesNamingAClassAreRefusedNotLoaded() throws Exception {
    // A peer that writes class names (registration off) must not make us load that class.
    Kryo naming = new Kryo();
    naming.setRegistrationRequired(false);
    Output out = new Output(256);
    naming.writeClassAndObject(out, new TestMessages.Unregistered("named on the wire"));
    Serializer serializer = serialization.serializerFor(TestMessages.Ping.class);

    Exception e = assertThrows(Exception.class,
        () -> serializer.fromBinary(out.toBytes(), scala.Option.empty()));
    assertInstanceOf(NotSerializableException.class, e);
    assertTrue(e.getMessage().contains("class name on the wire was refused"), e.getMessage());
  }

  @Test
  void anUnknownRegistrationIdIsRefused() throws Exception {
    Serializer serializer = serialization.serializerFor(TestMessages.Ping.class);
    byte[] unknownId = {(byte) 0xF5, (byte) 0x3E}; // varint id far above anything registered
    Exception e = assertThrows(Exception.class,
        () -> serializer.fromBinary(unknownId, scala.Option.empty()));
    assertInstanceOf(NotSerializableException.class, e);
  }
}

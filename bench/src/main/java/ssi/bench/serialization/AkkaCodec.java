package ssi.bench.serialization;

import akka.actor.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ssi.actors.SsiMessage;

/**
 * The project's serializer as Artery reaches it: Akka's serialization extension picks the
 * serializer bound to {@link SsiMessage} (the cluster module's Kryo serializer), and bytes come
 * back through the serializer id and manifest, as on the receiving node.
 */
final class AkkaCodec implements MessageCodec {

  private record Binding(int serializerId, String manifest) {
  }

  private final Serialization serialization;
  private final Map<Class<?>, Binding> bindings = new HashMap<>();
  private final String serializerName;

  /** Resolves, once, the serializer and manifest of each message class in {@code messages}. */
  AkkaCodec(ActorSystem system, List<SsiMessage> messages) {
    this.serialization = SerializationExtension.get(system);
    String name = null;
    for (SsiMessage m : messages) {
      Serializer serializer = serialization.findSerializerFor(m);
      bindings.put(m.getClass(),
          new Binding(serializer.identifier(), Serializers.manifestFor(serializer, m)));
      name = serializer.getClass().getName();
    }
    this.serializerName = name;
  }

  /** The class name of the serializer Akka chose (the last message's, they all share it). */
  String serializerName() {
    return serializerName;
  }

  @Override
  public String name() {
    return "kryo";
  }

  @Override
  public byte[] encode(SsiMessage message) {
    return serialization.serialize(message).get();
  }

  @Override
  public SsiMessage decode(byte[] bytes, Class<? extends SsiMessage> type) {
    Binding b = bindings.get(type);
    return (SsiMessage) serialization.deserialize(bytes, b.serializerId(), b.manifest()).get();
  }
}

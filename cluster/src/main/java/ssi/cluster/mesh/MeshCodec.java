package ssi.cluster.mesh;

import akka.actor.typed.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;

/**
 * Bodies and replies cross the mesh pre-serialized: the sender serializes once, so a retransmit
 * costs no work, byte counts are exact, and the receiver can discard a duplicate without
 * deserializing it. Uses Akka's serialization (the project's Kryo serializer for SsiMessages).
 */
final class MeshCodec {

  /** A serialized value: bytes plus what Akka needs to read them back. */
  record Encoded(byte[] bytes, int serializerId, String manifest) {
  }

  private final Serialization serialization;

  MeshCodec(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(system.classicSystem());
  }

  /** Serializes {@code value}; an IllegalArgumentException names the failure. */
  Encoded encode(Object value) {
    try {
      Serializer s = serialization.findSerializerFor(value);
      return new Encoded(s.toBinary(value), s.identifier(), Serializers.manifestFor(s, value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot serialize " + value.getClass().getName()
          + " for the mesh: " + e.getMessage(), e);
    }
  }

  /** Reads back what {@link #encode} wrote; an IllegalArgumentException names the failure. */
  Object decode(byte[] bytes, int serializerId, String manifest) {
    try {
      return serialization.deserialize(bytes, serializerId, manifest).get();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot deserialize a mesh payload: " + e.getMessage(), e);
    }
  }
}

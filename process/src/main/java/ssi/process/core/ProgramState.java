package ssi.process.core;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializationExtension;
import ssi.actors.SsiMessage;

/**
 * Whether a program's state can cross nodes: it moves with the process's image, serialized by
 * the project's Kryo serializer, which refuses classes not registered under
 * {@code ssi.serialization.classes}. Checked when a program is spawned and before a migration
 * pauses it, so an unregistered class is a clear refusal instead of an image that never arrives.
 */
final class ProgramState {

  private ProgramState() {
  }

  /** Null if {@code value} serializes with the serializer of every SSI message, else why not. */
  static String unmovable(ActorSystem<?> system, Object value) {
    try {
      SerializationExtension.get(Adapter.toClassic(system)).serializerFor(SsiMessage.class)
          .toBinary(value);
      return null;
    } catch (Exception e) { // Kryo's refusal, or no serializer bound at all
      return "its state (" + value.getClass().getSimpleName() + ") cannot be serialized: "
          + e.getMessage() + " — register the program's classes under ssi.serialization.classes";
    }
  }
}

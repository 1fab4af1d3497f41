package ssi.cluster.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A class resolver that (1) maps every runtime class of a few interfaces onto one registration —
 * all {@code ActorRef} implementations, and the JDK's immutable and unmodifiable collection
 * classes, which are private and vary with the JDK — and (2) refuses class names on the wire, so
 * only registered ids can ever be read.
 */
final class RegisteredClassResolver extends DefaultClassResolver {

  @Override
  public Registration getRegistration(Class type) {
    Registration direct = super.getRegistration(type);
    if (direct != null) {
      return direct;
    }
    Class<?> alias = alias(type);
    return alias == null ? null : super.getRegistration(alias);
  }

  @Override
  protected Registration readName(Input input) {
    throw new KryoException("a class name on the wire was refused: only registered classes are "
        + "accepted (see ssi.serialization.classes)");
  }

  private static Class<?> alias(Class<?> type) {
    if (akka.actor.typed.ActorRef.class.isAssignableFrom(type)) {
      return akka.actor.typed.ActorRef.class;
    }
    if (akka.actor.ActorRef.class.isAssignableFrom(type)) {
      return akka.actor.ActorRef.class;
    }
    // Only the JDK's own collection classes are aliased: a user's collection class must be
    // registered by name like any other class.
    if (!type.getName().startsWith("java.util.")) {
      return null;
    }
    if (List.class.isAssignableFrom(type)) {
      return List.class;
    }
    if (Set.class.isAssignableFrom(type)) {
      return Set.class;
    }
    if (Map.class.isAssignableFrom(type)) {
      return Map.class;
    }
    return null;
  }
}

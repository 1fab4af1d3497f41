package ssi.cluster.serialization;

import akka.actor.ExtendedActorSystem;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Builds identically configured Kryo instances: the built-in registrations (ids 10-99, fixed
 * here) followed by the configured message classes ({@code ssi.serialization.classes}, ids from
 * 100). Every node must build the same table, which is why ids are explicit rather than implied
 * by registration order.
 */
final class KryoFactory {

  private final ExtendedActorSystem system;
  private final SerializationSettings settings;
  private final ClassLoader loader;

  KryoFactory(ExtendedActorSystem system, SerializationSettings settings) {
    this.system = system;
    this.settings = settings;
    this.loader = system.dynamicAccess().classLoader();
  }

  Kryo newKryo() {
    Kryo kryo = new Kryo(new RegisteredClassResolver(), new MapReferenceResolver());
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setClassLoader(loader);
    // Records and no-arg classes use their constructors; others fall back to Objenesis.
    kryo.setInstantiatorStrategy(
        new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));

    kryo.register(akka.actor.typed.ActorRef.class, new ActorRefSerializers.Typed(system), 10);
    kryo.register(akka.actor.ActorRef.class, new ActorRefSerializers.Classic(system), 11);
    kryo.register(List.class, new ImmutableCollectionSerializers.ListSerializer(), 12);
    kryo.register(Set.class, new ImmutableCollectionSerializers.SetSerializer(), 13);
    kryo.register(Map.class, new ImmutableCollectionSerializers.MapSerializer(), 14);
    kryo.register(byte[].class, 15);
    kryo.register(int[].class, 16);
    kryo.register(long[].class, 17);
    kryo.register(String[].class, 18);
    kryo.register(Object[].class, 19);
    kryo.register(ArrayList.class, 20);
    kryo.register(HashMap.class, 21);
    kryo.register(HashSet.class, 22);
    kryo.register(LinkedHashMap.class, 23);
    kryo.register(TreeMap.class, 24);
    kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), 25);
    kryo.register(Optional.class, 26);
    kryo.register(java.time.Instant.class, 27);
    kryo.register(java.time.Duration.class, 28);
    kryo.register(Integer.class, 29);
    kryo.register(Long.class, 30);
    kryo.register(Boolean.class, 31);
    kryo.register(Double.class, 32);

    for (Map.Entry<String, Integer> e : settings.classes().entrySet()) {
      kryo.register(load(e.getKey()), e.getValue());
    }
    return kryo;
  }

  private Class<?> load(String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "ssi.serialization.classes names " + name + ", which is not on the class path", e);
    }
  }
}

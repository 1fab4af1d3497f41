package ssi.cluster.serialization;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Actor references travel as Akka's serialization format (a path with the node's address) and
 * are resolved on arrival, through {@link ActorRefResolver} for typed references and the
 * provider for classic ones.
 */
final class ActorRefSerializers {

  private ActorRefSerializers() {
  }

  static final class Typed extends Serializer<akka.actor.typed.ActorRef<?>> {
    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    Typed(ExtendedActorSystem system) {
      this.system = system;
      setImmutable(true);
    }

    private ActorRefResolver resolver() {
      ActorRefResolver r = resolver;
      if (r == null) {
        r = ActorRefResolver.get(Adapter.toTyped(system));
        resolver = r;
      }
      return r;
    }

    @Override
    public void write(Kryo kryo, Output output, akka.actor.typed.ActorRef<?> ref) {
      output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(
        Kryo kryo, Input input, Class<? extends akka.actor.typed.ActorRef<?>> type) {
      return resolver().resolveActorRef(input.readString());
    }
  }

  static final class Classic extends Serializer<akka.actor.ActorRef> {
    private final ExtendedActorSystem system;

    Classic(ExtendedActorSystem system) {
      this.system = system;
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, akka.actor.ActorRef ref) {
      output.writeString(Serialization.serializedActorPath(ref));
    }

    @Override
    public akka.actor.ActorRef read(Kryo kryo, Input input, Class<? extends akka.actor.ActorRef> type) {
      return system.provider().resolveActorRef(input.readString());
    }
  }
}

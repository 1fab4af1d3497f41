package ssi.bench.serialization;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ssi.actors.SsiMessage;

/**
 * The baseline: a plain Jackson {@link ObjectMapper} (JSON) with one small module so typed
 * {@link ActorRef} fields travel as {@link ActorRefResolver}'s string format, exactly as the Kryo
 * serializer sends them. The message class is not written (like the Kryo serializer's manifest it
 * is known to the receiver), and readers are prepared per class, which is Jackson's fast path.
 */
final class JacksonCodec implements MessageCodec {

  private final ObjectWriter writer;
  private final Map<Class<?>, ObjectReader> readers = new HashMap<>();

  /** A codec for the classes of {@code messages}, resolving refs against the resolver's system. */
  JacksonCodec(ActorRefResolver resolver, List<SsiMessage> messages) {
    ObjectMapper mapper = new ObjectMapper().registerModule(actorRefModule(resolver));
    this.writer = mapper.writer();
    for (SsiMessage m : messages) {
      readers.put(m.getClass(), mapper.readerFor(m.getClass()));
    }
  }

  @Override
  public String name() {
    return "jackson";
  }

  @Override
  public byte[] encode(SsiMessage message) throws IOException {
    return writer.writeValueAsBytes(message);
  }

  @Override
  public SsiMessage decode(byte[] bytes, Class<? extends SsiMessage> type) throws IOException {
    return readers.get(type).readValue(bytes);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static SimpleModule actorRefModule(ActorRefResolver resolver) {
    SimpleModule module = new SimpleModule("ssi-actor-ref");
    module.addSerializer(ActorRef.class, new StdSerializer<ActorRef>(ActorRef.class) {
      @Override
      public void serialize(ActorRef ref, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(resolver.toSerializationFormat(ref));
      }
    });
    module.addDeserializer(ActorRef.class, new StdDeserializer<ActorRef>(ActorRef.class) {
      @Override
      public ActorRef deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        return resolver.resolveActorRef(p.getValueAsString());
      }
    });
    return module;
  }
}

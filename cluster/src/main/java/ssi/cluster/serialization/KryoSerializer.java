package ssi.cluster.serialization;

import akka.actor.ExtendedActorSystem;
import akka.serialization.JSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;

/**
 * The project's Akka serializer: Kryo 5 for every {@link ssi.actors.SsiMessage}.
 *
 * <p>Design notes. Kryo instances are not thread-safe, so each call borrows one from a
 * {@link Pool}. Registration is required: every class that may appear in a message is listed
 * under {@code ssi.serialization.classes} with a fixed id, identical on every node, and the class
 * resolver refuses class <em>names</em> on the wire, so a node never loads a class because bytes
 * from the network named it. Java records use Kryo's record serializer, immutable JDK collections
 * travel as plain sequences and come back immutable, and typed or classic {@code ActorRef} fields
 * travel as their serialization format string through Akka's resolvers. Failures surface as
 * {@link NotSerializableException}, which Artery logs and drops without harming the association.
 */
public final class KryoSerializer extends JSerializer {

  /** Serializer id in Akka's serializer table; stable forever (changing it breaks rolling upgrades). */
  public static final int IDENTIFIER = 7_301_001;

  private final Pool<Kryo> pool;
  private final int maxMessageBytes;

  /** Called by Akka's serialization extension. */
  public KryoSerializer(ExtendedActorSystem system) {
    SerializationSettings settings = SerializationSettings.from(system.settings().config());
    this.maxMessageBytes = settings.maxMessageBytes();
    KryoFactory factory = new KryoFactory(system, settings);
    this.pool = new Pool<>(true, false, settings.poolSize()) {
      @Override
      protected Kryo create() {
        return factory.newKryo();
      }
    };
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = pool.obtain();
    try (Output output = new Output(256, maxMessageBytes)) {
      kryo.writeClassAndObject(output, o);
      return output.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = pool.obtain();
    try (Input input = new Input(bytes)) {
      return kryo.readClassAndObject(input);
    } catch (KryoException | IllegalArgumentException | IndexOutOfBoundsException e) {
      NotSerializableException refused = new NotSerializableException(
          "refused an incoming message (" + bytes.length + " bytes): " + e.getMessage());
      refused.initCause(e);
      throw KryoSerializer.<RuntimeException>sneaky(refused);
    } finally {
      pool.free(kryo);
    }
  }

  /** Akka declares no checked exception but expects {@link NotSerializableException} here. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}

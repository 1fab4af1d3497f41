package ssi.bench.serialization;

import akka.actor.ActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ssi.actors.SsiMessage;

/**
 * What the serialization suite and its benchmark share: an actor system with the default config,
 * the sample messages (their replies go to a real actor of that system) and the two codecs.
 * Close it to terminate the system.
 */
public final class SerializationSetup implements AutoCloseable {

  /** The system's name, as on a node, so actor refs have their real length on the wire. */
  private static final String SYSTEM_NAME = "ssi";

  /** The actor replies go to; a port-like name of ordinary length. */
  private static final String REPLY_ACTOR = "cpu-1-port-17";

  /**
   * On top of the default config (which includes the node's application.conf): a cluster
   * provider so refs carry host and port as they do between nodes, a free loopback port, only
   * warnings logged (to standard output, so nothing interleaves with JMH's progress lines), and
   * no JVM exit when the system terminates. The system never joins a cluster.
   */
  private static final String OVERRIDES = """
      akka.actor.provider = cluster
      akka.remote.artery.canonical.hostname = "127.0.0.1"
      akka.remote.artery.canonical.port = 0
      akka.loglevel = WARNING
      akka.use-slf4j = off
      akka.loggers = ["akka.event.Logging$DefaultLogger"]
      akka.logging-filter = "akka.event.DefaultLoggingFilter"
      akka.coordinated-shutdown.exit-jvm = off
      """;

  private static final long TERMINATE_TIMEOUT_SECONDS = 10;

  private final ActorSystem system;
  private final List<SsiMessage> messages;
  private final AkkaCodec kryo;
  private final JacksonCodec jackson;

  private SerializationSetup(ActorSystem system) {
    this.system = system;
    ActorRef<Void> replyTo = Adapter.spawn(system, Behaviors.<Void>empty(), REPLY_ACTOR);
    this.messages = SampleMessages.set(replyTo);
    this.kryo = new AkkaCodec(system, messages);
    this.jackson = new JacksonCodec(ActorRefResolver.get(Adapter.toTyped(system)), messages);
  }

  /** Starts the actor system and builds the messages and codecs. */
  public static SerializationSetup start() {
    Config config = ConfigFactory.parseString(OVERRIDES).withFallback(ConfigFactory.load());
    ActorSystem system = ActorSystem.create(SYSTEM_NAME, config);
    try {
      return new SerializationSetup(system);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** The representative set of messages. */
  public List<SsiMessage> messages() {
    return messages;
  }

  /** The project's serializer, through Akka's serialization extension. */
  public MessageCodec kryo() {
    return kryo;
  }

  /** The Jackson baseline. */
  public MessageCodec jackson() {
    return jackson;
  }

  /** The class name of the serializer Akka bound to the messages. */
  public String kryoSerializerName() {
    return kryo.serializerName();
  }

  /** Terminates the actor system and waits for it. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture()
          .get(TERMINATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the actor system did not terminate", e);
    }
  }
}

package ssi.cluster.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Explicit configs for serializer tests (ActorTestKit does not read application.conf). */
final class TestConfigs {

  private TestConfigs() {
  }

  static final String CLASSES = """
      ssi.serialization.classes {
        "ssi.cluster.serialization.TestMessages$Kind" = 1000
        "ssi.cluster.serialization.TestMessages$Inner" = 1001
        "ssi.cluster.serialization.TestMessages$Ping" = 1002
        "ssi.cluster.serialization.TestMessages$Pong" = 1003
      }
      """;

  /** A remote-enabled system on a free loopback port that checks every message's serialization. */
  static Config remote(boolean registerSecret) {
    String secret = registerSecret
        ? "ssi.serialization.classes.\"ssi.cluster.serialization.TestMessages$Secret\" = 1004\n"
        : "";
    return ConfigFactory.parseString("""
        akka.actor.provider = remote
        akka.actor.serialize-messages = on
        akka.remote.artery.transport = tcp
        akka.remote.artery.canonical.hostname = 127.0.0.1
        akka.remote.artery.canonical.port = 0
        akka.loglevel = INFO
        """ + CLASSES + secret).withFallback(ConfigFactory.load());
  }

  static Config local() {
    return ConfigFactory.parseString("akka.actor.serialize-messages = on\n" + CLASSES)
        .withFallback(ConfigFactory.load());
  }
}

package ssi.bench.lwkt;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;

/** A quiet, local (non-cluster) node runtime for the lwkt benchmarks. */
final class BenchSystem {

  private BenchSystem() {
  }

  /** An actor system with {@code cpus} CPUs and the project's reference configuration. */
  static ActorSystem<Void> start(String name, int cpus) {
    return ActorSystem.create(Behaviors.empty(), name, ConfigFactory.parseString(
        "ssi.cpus = " + cpus + "\n"
            + "akka.actor.provider = local\n"
            + "akka.loglevel = WARNING\n"
            + "akka.management.http.routes = {}\n")
        .withFallback(ConfigFactory.load()));
  }
}

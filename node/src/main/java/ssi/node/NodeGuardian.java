package ssi.node;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;

/**
 * The node's guardian. It only wires things up: each subsystem starts its own actors (mostly as
 * Akka extensions, reachable from any part of the node), so the guardian holds no protocol.
 */
final class NodeGuardian {

  private NodeGuardian() {
  }

  static Behavior<Void> create() {
    return Behaviors.setup(context -> {
      context.getLog().debug("node guardian started");
      return Behaviors.empty();
    });
  }
}

package ssi.cluster.node;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import java.util.Optional;

/**
 * Finds a member by SSI node name (its {@code name:<name>} role, e.g. {@code node-3}) or by its
 * Akka address ({@code akka://ssi@127.0.0.1:25522}).
 */
public final class NodeNames {

  /** The role prefix that carries a node's name. */
  public static final String ROLE_PREFIX = "name:";

  private NodeNames() {
  }

  /** The address of the live member called {@code nameOrAddress}, if there is one. */
  public static Optional<Address> resolve(ActorSystem<?> system, String nameOrAddress) {
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.hasRole(ROLE_PREFIX + nameOrAddress) || m.address().toString().equals(nameOrAddress)) {
        return Optional.of(m.address());
      }
    }
    if (nameOrAddress.startsWith("akka://")) {
      try {
        return Optional.of(AddressFromURIString.parse(nameOrAddress));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The SSI name of a member, or its address when it has no name role. */
  public static String nameOf(Member m) {
    return m.getRoles().stream().filter(r -> r.startsWith(ROLE_PREFIX))
        .map(r -> r.substring(ROLE_PREFIX.length())).findFirst()
        .orElse(m.address().toString());
  }
}

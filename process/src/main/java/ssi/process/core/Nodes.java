package ssi.process.core;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import ssi.cluster.node.NodeNames;

/** Node names and liveness as the process layer needs them. */
final class Nodes {

  private Nodes() {
  }

  /** The SSI name of the member at {@code address} (the address itself if it is gone). */
  static String name(ActorSystem<?> system, String address) {
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.address().toString().equals(address)) {
        return NodeNames.nameOf(m);
      }
    }
    return address;
  }

  /** This node's SSI name. */
  static String selfName(ActorSystem<?> system) {
    return NodeNames.nameOf(Cluster.get(system).selfMember());
  }

  /** Whether {@code address} is a member that is up (or joining/leaving) and not removed. */
  static boolean alive(ActorSystem<?> system, String address) {
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.address().toString().equals(address)) {
        MemberStatus s = m.status();
        return s != MemberStatus.down() && s != MemberStatus.removed()
            && s != MemberStatus.exiting();
      }
    }
    return false;
  }

  /** Whether some member has found the member at {@code address} unreachable (as this node knows). */
  static boolean unreachable(ActorSystem<?> system, String address) {
    for (Member m : Cluster.get(system).state().getUnreachable()) {
      if (m.address().toString().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /** Parses an address string. */
  static Address address(String address) {
    return akka.actor.AddressFromURIString.parse(address);
  }
}

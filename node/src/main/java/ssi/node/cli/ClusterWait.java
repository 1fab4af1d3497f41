package ssi.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits, with a deadline, until every started node answers on management and sees all of them
 * {@code Up}; stops early with the node's log tail when a node JVM exits during start-up.
 */
final class ClusterWait {

  private static final Duration POLL = Duration.ofMillis(500);

  private final ManagementClient client;

  ClusterWait(ManagementClient client) {
    this.client = client;
  }

  boolean untilAllUp(List<LocalCluster.NodeRecord> nodes, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastSeen = "no node answered yet";
    while (System.nanoTime() < deadline) {
      for (LocalCluster.NodeRecord n : nodes) {
        if (!n.alive()) {
          System.err.println("ssi up: " + n.name() + " exited during start-up; the end of its log:");
          printTail(n);
          System.err.println("the other nodes are still running; `bin/ssi down` stops them");
          return false;
        }
      }
      int allSee = 0;
      for (LocalCluster.NodeRecord n : nodes) {
        try {
          List<ManagementClient.Member> members = client.members(n.managementUrl());
          long up = members.stream().filter(m -> m.status().equals("Up")).count();
          lastSeen = n.name() + " sees " + up + " of " + nodes.size() + " members Up";
          if (up == nodes.size() && members.size() == nodes.size()) {
            allSee++;
          }
        } catch (IOException e) {
          lastSeen = n.name() + " does not answer yet (" + e.getMessage() + ")";
        }
      }
      if (allSee == nodes.size()) {
        return true;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    System.err.println("ssi up: the cluster did not form within " + timeout.toSeconds()
        + " s (" + lastSeen + "); logs are in .ssi/logs/, `bin/ssi down` stops the nodes");
    return false;
  }

  private static void printTail(LocalCluster.NodeRecord n) throws IOException {
    if (!Files.exists(n.log())) {
      return;
    }
    List<String> lines = Files.readAllLines(n.log());
    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(System.err::println);
  }
}

package ssi.node.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssi status}: the members of the running local cluster, with their management URLs. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the members of the running cluster (exit 1 if none runs).")
final class StatusCommand implements Callable<Integer> {

  @Override
  public Integer call() throws IOException {
    LocalCluster cluster = LocalCluster.fromEnvironment();
    List<LocalCluster.NodeRecord> alive = cluster.aliveNodes();
    if (alive.isEmpty()) {
      System.out.println("no cluster running (`bin/ssi up` starts one)");
      return 1;
    }
    ManagementClient client = new ManagementClient();
    for (LocalCluster.NodeRecord asked : alive) {
      List<ManagementClient.Member> members;
      try {
        members = client.members(asked.managementUrl());
      } catch (IOException e) {
        continue;
      }
      System.out.printf("%-8s %-9s %-11s %-30s %s%n", "NODE", "STATUS", "REACHABLE", "ADDRESS",
          "MANAGEMENT");
      for (ManagementClient.Member m : members) {
        String url = alive.stream()
            .filter(r -> m.node().endsWith(":" + r.remotePort()))
            .map(LocalCluster.NodeRecord::managementUrl).findFirst().orElse("-");
        System.out.printf("%-8s %-9s %-11s %-30s %s%n", ManagementClient.nameOf(m), m.status(),
            m.reachable() ? "yes" : "NO", m.node(), url);
      }
      System.out.println("(as seen by " + asked.name() + ")");
      return 0;
    }
    System.out.println(alive.size() + " node JVM(s) are running but none answers on its "
        + "management port yet; logs are in .ssi/logs/");
    return 1;
  }
}

package ssi.node.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ssi demo}: the project's main job. Until process migration exists it starts a 3-node
 * cluster when none runs and shows its status; the migration demo replaces this.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a 3-node cluster if none runs and show it (the migration demo comes "
        + "with the process issue).")
final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    System.out.println("ssi demo: process migration is not built yet; this demo starts a 3-node "
        + "cluster (if none runs) and shows it.");
    LocalCluster cluster = LocalCluster.fromEnvironment();
    int status = cluster.aliveNodes().isEmpty() ? new picocli.CommandLine(new UpCommand()).execute()
        : new StatusCommand().call();
    if (status == 0) {
      System.out.println();
      System.out.println("Try:  curl -s http://127.0.0.1:8558/ssi/node");
      System.out.println("      curl -s http://127.0.0.1:8558/cluster/members");
      System.out.println("      curl -s http://127.0.0.1:8558/ssi/store");
      System.out.println("Stop: bin/ssi down");
    }
    return status;
  }
}

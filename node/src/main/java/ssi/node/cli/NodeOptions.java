package ssi.node.cli;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of the file commands ({@code ls}, {@code cat}, {@code put}, {@code stat}): which
 * node to talk to and the admin token. Without {@code --node}, the first node of the local
 * cluster ({@code ssi up}) that answers.
 */
final class NodeOptions {

  @Option(names = "--node", paramLabel = "URL", converter = NodeUrl.class,
      description = "management URL of the node to use, e.g. http://127.0.0.1:8558 "
          + "(default: the first live node of the local cluster)")
  String node;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SSI_ADMIN_TOKEN}",
      description = "admin token for writes (default: $SSI_ADMIN_TOKEN)")
  String token;

  /** Exit status of a file command: 1 for a refused request, 2 when no node answers. */
  static int exitCode(IOException e) {
    return e instanceof FilesClient.Failure ? ClusterCommand.REFUSED : ClusterCommand.UNREACHABLE;
  }

  /** A client of the chosen node; {@link FilesClient.Unreachable} when there is none. */
  FilesClient client() throws IOException {
    if (node != null && !node.isBlank()) {
      return new FilesClient(node.replaceAll("/+$", ""), token);
    }
    List<LocalCluster.NodeRecord> alive = LocalCluster.fromEnvironment().aliveNodes();
    if (alive.isEmpty()) {
      throw new FilesClient.Unreachable("cannot reach the cluster: no cluster running "
          + "(`bin/ssi up` starts one, or pass --node URL)", null);
    }
    ManagementClient management = new ManagementClient();
    for (LocalCluster.NodeRecord n : alive) {
      try {
        management.getJson(n.managementUrl() + "/ssi/node");
        return new FilesClient(n.managementUrl(), token);
      } catch (IOException e) {
        // not answering: try the next
      }
    }
    throw new FilesClient.Unreachable("cannot reach the cluster: " + alive.size() + " node "
        + "JVM(s) run but none answers on its management port; logs are in .ssi/logs/", null);
  }
}

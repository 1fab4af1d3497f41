package ssi.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the sub-commands that talk to a running cluster ({@code ps}, {@code spawn},
 * {@code migrate}, ...): the {@code --node URL} option, defaulting to the first live node of the
 * local cluster, and the exit codes — 0 done, 1 the node refused the request (its JSON error is
 * printed on one line), 2 no node could be reached, 64 a bad command line.
 */
abstract class ClusterCommand implements Callable<Integer> {

  /** Exit code when a node answered with an error. */
  static final int REFUSED = 1;
  /** Exit code when no node could be reached. */
  static final int UNREACHABLE = 2;
  /**
   * Exit code for a command line that makes no sense (sysexits' EX_USAGE), so that 2 always means
   * "cannot reach the cluster"; {@link Ssi#main} gives picocli's own usage errors the same.
   */
  static final int USAGE = 64;

  @Spec
  CommandSpec spec;

  @Option(names = "--node", paramLabel = "URL", converter = NodeUrl.class,
      description = "management URL of the node to ask, e.g. http://127.0.0.1:8558 "
          + "(default: the first live node of the local cluster)")
  String node;

  /** The HTTP client; tests may hand a command one with a token. */
  ManagementClient client = new ManagementClient();

  @Override
  public final Integer call() {
    String base;
    try {
      base = baseUrl();
    } catch (IOException e) {
      err().println(prefix() + e.getMessage());
      return UNREACHABLE;
    }
    try {
      return run(base);
    } catch (RequestRefused e) {
      err().println(prefix() + e.getMessage());
      return REFUSED;
    } catch (IOException e) {
      err().println(prefix() + "cannot reach the cluster at " + base + ": " + describe(e));
      return UNREACHABLE;
    }
  }

  /** The command's work against the node at {@code base}; returns the exit code. */
  abstract int run(String base) throws IOException, RequestRefused;

  /** {@code --node} without a trailing slash, else the first live node of the local cluster. */
  String baseUrl() throws IOException {
    if (node != null && !node.isBlank()) {
      return node.endsWith("/") ? node.substring(0, node.length() - 1) : node;
    }
    return firstLiveNode(LocalCluster.fromEnvironment(), client);
  }

  /**
   * The management URL of the first node {@code ssi up} started that answers {@code /ssi/node};
   * an IOException saying why there is none.
   */
  static String firstLiveNode(LocalCluster cluster, ManagementClient client) throws IOException {
    List<LocalCluster.NodeRecord> alive = cluster.aliveNodes();
    if (alive.isEmpty()) {
      throw new IOException("cannot reach the cluster: no cluster running (`bin/ssi up` starts "
          + "one, or pass --node URL)");
    }
    for (LocalCluster.NodeRecord n : alive) {
      try {
        client.getJson(n.managementUrl() + "/ssi/node");
        return n.managementUrl();
      } catch (IOException e) {
        // not answering (yet): try the next
      }
    }
    throw new IOException("cannot reach the cluster: " + alive.size() + " node JVM(s) run but "
        + "none answers on its management port; logs are in .ssi/logs/");
  }

  /** A short reason for a failed connection. */
  static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  String prefix() {
    return "ssi " + spec.name() + ": ";
  }

  /** {@code base/ssi/processes/PID}. */
  static String processUrl(String base, long pid) {
    return base + "/ssi/processes/" + pid;
  }
}

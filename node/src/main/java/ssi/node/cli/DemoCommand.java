package ssi.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssi demo}: the project's main job. Starts a 3-node cluster when none runs, then
 * {@link DemoRun} spawns a counter and a cross-node pipeline, migrates the counter node-1 → node-2
 * → node-3 while it runs with the live timeline, and checks the output. Exit 0 only when every
 * check passes, 1 when one fails or a request is refused, 2 when the cluster cannot start or be
 * reached.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The live-migration demo: start a 3-node cluster if none runs; spawn `counter` "
        + "on node-1 (numbered lines to /demo/counter.log) and `yes N` on node-2 piped to `cat` "
        + "on node-3 (to /demo/pipe.log); migrate the counter node-1 -> node-2 -> node-3 while it "
        + "runs, printing each piece and its pause live; then check that both files hold every "
        + "number exactly once, in order.",
        "Exit 0 only if every check passes; 1 if one fails; 2 if the cluster could not start."})
final class DemoCommand implements Callable<Integer> {

  /** The nodes the demo places its processes on. */
  static final List<String> NODES = List.of("node-1", "node-2", "node-3");

  @Spec
  CommandSpec spec;

  @Option(names = "--count", defaultValue = "400", paramLabel = "N",
      description = "numbers the counter writes (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--interval-ms", defaultValue = "100", paramLabel = "MS",
      description = "milliseconds between the counter's lines (default ${DEFAULT-VALUE}: ~40 s)")
  int intervalMs;

  @Option(names = "--lines", defaultValue = "5000", paramLabel = "N",
      description = "lines `yes` sends through the pipe (default ${DEFAULT-VALUE})")
  int lines;

  @Option(names = "--gap", defaultValue = "4", paramLabel = "SECONDS",
      description = "seconds before each migration of the counter (default ${DEFAULT-VALUE})")
  int gapSeconds;

  @Option(names = "--wait", defaultValue = "90", paramLabel = "SECONDS",
      description = "seconds, from the spawn, the processes have to finish (default "
          + "${DEFAULT-VALUE})")
  int waitSeconds;

  @Option(names = "--node", paramLabel = "URL", converter = NodeUrl.class,
      description = "run against this node's management URL instead of the local cluster "
          + "(which is then not started)")
  String node;

  /** The HTTP client; tests may hand one with a token. */
  ManagementClient client = new ManagementClient();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    out.println("ssi demo: a counter migrates node-1 -> node-2 -> node-3 while it writes "
        + "/demo/counter.log, and a pipeline `yes " + lines + "` (node-2) | `cat` (node-3) writes "
        + "/demo/pipe.log; then both files are checked.");
    String base;
    try {
      base = node != null ? node.replaceAll("/+$", "") : startCluster(out, err);
    } catch (IOException e) {
      err.println("ssi demo: " + e.getMessage());
      return ClusterCommand.UNREACHABLE;
    }
    DemoRun.Settings settings = new DemoRun.Settings(count, intervalMs, lines,
        Duration.ofSeconds(gapSeconds), Duration.ofSeconds(waitSeconds));
    int status;
    try {
      status = new DemoRun(client, base, settings, out).run();
    } catch (RequestRefused e) {
      err.println("ssi demo: " + e.getMessage());
      status = ClusterCommand.REFUSED;
    } catch (IOException e) {
      err.println("ssi demo: cannot reach the cluster at " + base + ": "
          + ClusterCommand.describe(e));
      status = ClusterCommand.UNREACHABLE;
    }
    out.printf("%nssi demo: %s in %.0f s%n", status == 0 ? "all checks passed" : "FAILED",
        (System.nanoTime() - start) / 1e9);
    out.println("Watch:  bin/ssi watch        (or: curl -N " + base + "/ssi/migrations/stream)");
    out.println("        bin/ssi ps           (or: curl -s " + base + "/ssi/processes)");
    out.println("        curl -s " + base + "/ssi/migrations");
    out.println("Stop:   bin/ssi down");
    return status;
  }

  /**
   * The URL of a live node of the local cluster, started first (as {@code ssi up}) when none
   * runs; an IOException when it cannot start or lacks node-1..3.
   */
  private String startCluster(PrintWriter out, PrintWriter err) throws IOException {
    LocalCluster cluster = LocalCluster.fromEnvironment();
    if (cluster.aliveNodes().isEmpty()) {
      out.println("no cluster running: starting 3 nodes (bin/ssi up)");
      out.flush();
      int up = new CommandLine(new UpCommand()).execute();
      if (up != 0) {
        throw new IOException("the cluster could not start (exit " + up + "); logs are in "
            + ".ssi/logs/, `bin/ssi down` stops what started");
      }
    } else {
      out.println("using the running cluster (`bin/ssi down` stops it)");
    }
    String base = ClusterCommand.firstLiveNode(cluster, client);
    List<String> up = client.members(base).stream().filter(m -> m.status().equals("Up"))
        .map(ManagementClient::nameOf).toList();
    if (!up.containsAll(NODES)) {
      throw new IOException("the demo needs node-1, node-2 and node-3 Up; " + base + " sees "
          + up + " (`bin/ssi down`, then `bin/ssi demo` starts a fresh 3-node cluster)");
    }
    return base;
  }
}

package ssi.node.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssi down}: stops the nodes {@code ssi up} started, by PID, and waits for them to exit;
 * then stops the embedded store (its data stays in {@code .ssi/pgdata}).
 */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop the nodes started by `ssi up` and wait until their JVMs have exited, "
        + "then stop the embedded PostgreSQL store (its data is kept for the next `ssi up`).")
final class DownCommand implements Callable<Integer> {

  @Option(names = "--grace", defaultValue = "30",
      description = "seconds a node may take to leave the cluster (and the store to stop) "
          + "before it is killed")
  int graceSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    LocalCluster cluster = LocalCluster.fromEnvironment();
    int stopped = 0;
    for (LocalCluster.NodeRecord n : cluster.nodes()) {
      var process = n.process();
      if (process.isPresent()) {
        ProcessHandle p = process.get();
        CompletableFuture<ProcessHandle> exit = p.onExit();
        p.destroy(); // SIGTERM: the node leaves the cluster through coordinated shutdown
        try {
          exit.get(graceSeconds, TimeUnit.SECONDS);
          System.out.println("stopped " + n.name() + " (pid " + n.pid() + ")");
        } catch (TimeoutException e) {
          p.destroyForcibly();
          p.onExit().join();
          System.out.println("killed " + n.name() + " (pid " + n.pid() + "): it did not stop within "
              + graceSeconds + " s");
        } catch (ExecutionException e) {
          throw new IOException(e);
        }
        stopped++;
      }
      cluster.forget(n);
    }
    System.out.println(stopped == 0 ? "no cluster running" : "stopped " + stopped + " node(s)");
    // After the nodes: they flush to the store while they shut down.
    new LocalStore(cluster).stop(Duration.ofSeconds(graceSeconds))
        .ifPresent(System.out::println);
    return 0;
  }
}

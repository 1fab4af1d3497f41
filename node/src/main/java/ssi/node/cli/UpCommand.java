package ssi.node.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssi up [-n N]}: starts N node JVMs on 127.0.0.1 and waits until all are Up. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start N node JVMs on 127.0.0.1 and wait until all are Up in one cluster.")
final class UpCommand implements Callable<Integer> {

  @Option(names = {"-n", "--nodes"}, defaultValue = "3", description = "number of nodes (1-9)")
  int nodes;

  @Option(names = "--remote-port-base", defaultValue = "25520",
      description = "Artery port of node-1; node-i uses base + i - 1")
  int remotePortBase;

  @Option(names = "--management-port-base", defaultValue = "8558",
      description = "management HTTP port of node-1; node-i uses base + i - 1")
  int managementPortBase;

  @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each node JVM")
  String heap;

  @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for Up")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > 9) {
      System.err.println("ssi up: -n must be between 1 and 9, got " + nodes);
      return 2;
    }
    LocalCluster cluster = LocalCluster.fromEnvironment();
    List<LocalCluster.NodeRecord> alive = cluster.aliveNodes();
    if (!alive.isEmpty()) {
      System.out.println("a cluster started by ssi up is already running (" + alive.size()
          + " node JVMs); `bin/ssi down` stops it.");
      return new StatusCommand().call();
    }
    for (LocalCluster.NodeRecord stale : cluster.nodes()) {
      cluster.forget(stale);
    }
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      for (int port : new int[] {remotePortBase + i, managementPortBase + i}) {
        if (!portFree(port)) {
          busy.add(Integer.toString(port));
        }
      }
    }
    if (!busy.isEmpty()) {
      System.err.println("ssi up: port(s) " + String.join(", ", busy) + " on 127.0.0.1 are in "
          + "use (another cluster or program?); pick others with --remote-port-base and "
          + "--management-port-base");
      return 1;
    }

    long start = System.nanoTime();
    Files.createDirectories(cluster.logsDir());
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      seeds.add("127.0.0.1:" + (managementPortBase + i));
    }
    List<LocalCluster.NodeRecord> started = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String name = "node-" + (i + 1);
      Path log = cluster.logsDir().resolve(name + ".log");
      List<String> command = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.add("/usr/bin/setsid"); // own session: ^C at the terminal does not kill the nodes
      }
      command.addAll(List.of(javaBinary(), "-Xmx" + heap, "-XX:+UseSerialGC",
          "-Dssi.node.name=" + name,
          "-Dssi.node.remote-port=" + (remotePortBase + i),
          "-Dssi.node.management-port=" + (managementPortBase + i),
          "-Dssi.node.seeds=" + String.join(",", seeds),
          "-Dssi.home=" + cluster.home()));
      Path conf = cluster.home().resolve("application.conf");
      if (Files.isRegularFile(conf)) {
        command.add("-Dconfig.file=" + conf);
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "ssi.node.Main"));
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      LocalCluster.NodeRecord record = new LocalCluster.NodeRecord(name, p.pid(),
          remotePortBase + i, managementPortBase + i, log);
      cluster.save(record);
      started.add(record);
      System.out.println("started " + name + " (pid " + p.pid() + ", management "
          + record.managementUrl() + ", log " + cluster.home().relativize(log) + ")");
    }

    boolean up = new ClusterWait(new ManagementClient())
        .untilAllUp(started, Duration.ofSeconds(timeoutSeconds));
    if (!up) {
      return 1;
    }
    System.out.printf("cluster of %d nodes Up in %.1f s%n", nodes,
        (System.nanoTime() - start) / 1e9);
    return new StatusCommand().call();
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}

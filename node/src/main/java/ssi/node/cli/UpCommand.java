package ssi.node.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssi up [-n N]}: starts the embedded PostgreSQL page store (unless the user configured
 * {@code ssi.store.url}), then N node JVMs on 127.0.0.1 handed its URL, and waits until all are
 * Up.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start the embedded PostgreSQL page store and N node JVMs on 127.0.0.1, and "
        + "wait until all nodes are Up in one cluster.",
        "The store is skipped when SSI_STORE_URL or ssi.store.url in application.conf names a "
        + "PostgreSQL server; the nodes then use that."})
final class UpCommand implements Callable<Integer> {

  /** How long a PostgreSQL left running on .ssi/pgdata by an earlier store may take to stop. */
  private static final Duration STALE_STORE_GRACE = Duration.ofSeconds(30);

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

  @Option(names = "--tls", description = "mutual TLS between the nodes (Artery tls-tcp), with the "
      + "CA and keystores in --tls-dir; bin/ssi-certs makes any that are missing")
  boolean tls;

  @Option(names = "--tls-dir", description = "certificates for --tls (default: .ssi/tls)")
  Path tlsDir;

  @Option(names = "--store-port", defaultValue = "5433",
      description = "port of the embedded PostgreSQL on 127.0.0.1")
  int storePort;

  @Option(names = "--store-timeout", defaultValue = "90",
      description = "seconds to wait for the store (the first start unpacks PostgreSQL)")
  int storeTimeoutSeconds;

  @Option(names = "--programs", defaultValue = "${SSI_PROGRAMS:-programs}",
      description = "directory of program jars put on every node's class path (relative to the "
          + "project; default programs, or $SSI_PROGRAMS); see the README on writing a program")
  String programs;

  /** The jars in {@code dir}, none when it does not exist. */
  static List<Path> programJars(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList();
    }
  }

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
    LocalStore store = new LocalStore(cluster);
    Optional<String> userUrl = store.userUrl();
    // A store whose READY was never recorded (an `up` interrupted while it started) is stopped.
    Optional<LocalStore.StoreRecord> running = store.running().filter(r -> !r.url().isBlank());
    if (userUrl.isEmpty() && running.isEmpty()) {
      store.stop(STALE_STORE_GRACE).ifPresent(System.out::println); // a PostgreSQL left behind
    }
    List<String> busy = new ArrayList<>();
    if (userUrl.isEmpty() && running.isEmpty() && !portFree(storePort)) {
      busy.add(storePort + " (store; --store-port)");
    }
    for (int i = 0; i < nodes; i++) {
      for (int port : new int[] {remotePortBase + i, managementPortBase + i}) {
        if (!portFree(port)) {
          busy.add(Integer.toString(port));
        }
      }
    }
    if (!busy.isEmpty()) {
      System.err.println("ssi up: port(s) " + String.join(", ", busy) + " on 127.0.0.1 are in "
          + "use (another cluster or program?); pick others with --remote-port-base, "
          + "--management-port-base and --store-port");
      return 1;
    }

    LocalTls certs = null;
    if (tls) {
      certs = LocalTls.prepare(cluster.home(),
          tlsDir != null ? tlsDir.toAbsolutePath() : cluster.stateDir().resolve("tls"), nodes);
      if (certs == null) {
        return 1;
      }
    }

    long start = System.nanoTime();
    Files.createDirectories(cluster.logsDir());
    String storeUrl;
    if (userUrl.isPresent()) {
      storeUrl = null; // the nodes read it from the same configuration
      System.out.println("store: ssi.store.url is configured (SSI_STORE_URL or application.conf); "
          + "no embedded store started");
    } else if (running.isPresent()) {
      storeUrl = running.get().url();
      System.out.println("store already running: " + storeUrl + " (pid " + running.get().pid()
          + ")");
    } else {
      try {
        LocalStore.StoreRecord s = store.start(storePort,
            Duration.ofSeconds(storeTimeoutSeconds));
        storeUrl = s.url();
        System.out.println("started store " + storeUrl + " (pid " + s.pid() + ", data "
            + cluster.home().relativize(store.dataDir()) + ", log "
            + cluster.home().relativize(store.log()) + ")");
      } catch (IOException e) {
        System.err.println("ssi up: " + e.getMessage());
        return 1;
      }
    }
    String secret = clusterSecret(cluster);
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      seeds.add("127.0.0.1:" + (managementPortBase + i));
    }
    List<LocalCluster.NodeRecord> started = new ArrayList<>();
    String classpath = cluster.runClasspath();
    Path programDir = cluster.home().resolve(programs);
    List<Path> programJars = programJars(programDir);
    if (!programJars.isEmpty()) {
      classpath = classpath + java.io.File.pathSeparator + programDir.toAbsolutePath() + "/*";
      System.out.println("programs from " + programDir + ": " + programJars.stream()
          .map(j -> j.getFileName().toString()).sorted().toList());
    }
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
      if (storeUrl != null) {
        command.add("-Dssi.store.url=" + storeUrl);
      }
      Path conf = cluster.home().resolve("application.conf");
      if (Files.isRegularFile(conf)) {
        command.add("-Dconfig.file=" + conf);
      }
      command.addAll(List.of("-cp", classpath, "ssi.node.Main"));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      if (certs != null) {
        builder.environment().putAll(certs.environment(name));
      }
      builder.environment().put("SSI_SECRET", secret);
      Process p = builder.start();
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
    System.out.printf("cluster of %d nodes Up in %.1f s%s%n", nodes,
        (System.nanoTime() - start) / 1e9,
        certs == null ? "" : ", mutual TLS between nodes (certificates in " + certs.dir() + ")");
    return new StatusCommand().call();
  }

  /**
   * The cluster secret that seals file capabilities ({@code ssi.security.secret}): $SSI_SECRET
   * when set, else the one in {@code .ssi/secret}, generated there (32 random bytes, owner-only)
   * the first time. Every node of the cluster gets the same one; capabilities stay valid across
   * {@code down} and {@code up}. An {@code ssi.security.secret} in application.conf wins over it.
   */
  private static String clusterSecret(LocalCluster cluster) throws IOException {
    String env = System.getenv("SSI_SECRET");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path file = cluster.stateDir().resolve("secret");
    if (Files.isRegularFile(file)) {
      String s = Files.readString(file).trim();
      if (!s.isEmpty()) {
        return s;
      }
    }
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    String s = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Files.createDirectories(file.getParent());
    Files.writeString(file, s + "\n");
    try {
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the default permissions
    }
    System.out.println("generated the cluster secret (file capabilities) in "
        + cluster.home().relativize(file));
    return s;
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

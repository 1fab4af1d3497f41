package ssi.multijvm.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real node JVMs for a test: started from the test class path with free loopback ports and the
 * project's real {@code application.conf}, reached over HTTP, killed by PID. Before the first
 * node, one embedded PostgreSQL ({@link #store()}, fresh data under the test's log directory) is
 * started and every node is handed its URL ({@code ssi.store.url}), as {@code bin/ssi up} does.
 * Every JVM it starts is stopped by {@link #close()} (nodes first, then the store), by a shutdown
 * hook if the test JVM exits, and — if the test JVM is killed — by the JVM itself, which watches
 * its parent process ({@code ssi.node.parent-pid}, the store's {@code --parent-pid}).
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.create("my-test")) {
 *   cluster.start(3);
 *   cluster.node(2).kill9();
 *   cluster.store().kill9();       // the database dies; restart() brings it back
 * }
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {

  /** Deadline for a cluster to form or change. */
  public static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);

  /** How long the store may take to stop cleanly at close before it is killed. */
  private static final Duration STORE_GRACE = Duration.ofSeconds(10);

  private static final Set<NodeProcess> ALL = ConcurrentHashMap.newKeySet();
  private static final Set<StoreProcess> ALL_STORES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ALL.forEach(n -> {
        try {
          n.kill9();
        } catch (Exception ignored) {
          // best effort at JVM exit
        }
      });
      ALL_STORES.forEach(s -> {
        try {
          s.kill9();
        } catch (Exception ignored) {
          // best effort at JVM exit
        }
      });
    }, "test-cluster-reaper"));
  }

  private final String testName;
  private final Path logDir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Http http = new Http();
  private final java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
  private final java.util.Map<String, java.util.Map<String, String>> nodeProperties =
      new java.util.HashMap<>();
  private List<String> seeds = List.of();
  private StoreProcess store;

  private TestCluster(String testName, Path logDir) {
    this.testName = testName;
    this.logDir = logDir;
  }

  /** A cluster with no node yet; logs go to {@code target/node-logs/<testName>/}. */
  public static TestCluster create(String testName) throws IOException {
    Path dir = Path.of("target", "node-logs", testName.replaceAll("[^A-Za-z0-9_.-]", "_"));
    Files.createDirectories(dir);
    return new TestCluster(testName, dir);
  }

  public Http http() {
    return http;
  }

  /** A system property ({@code -Dkey=value}) for every node started from now on. */
  public TestCluster withProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }

  /** A system property for node {@code i} only (1-based), overriding {@link #withProperty}. */
  public TestCluster withNodeProperty(int i, String key, String value) {
    nodeProperties.computeIfAbsent("node-" + i, k -> new java.util.LinkedHashMap<>())
        .put(key, value);
    return this;
  }

  /**
   * The cluster's embedded PostgreSQL, started on first call (the first {@code launch} calls it,
   * so every node gets its URL): a free port, fresh data in {@code pgdata/} and its log
   * {@code store.log} beside the node logs.
   */
  public synchronized StoreProcess store() throws IOException {
    if (store == null) {
      StoreProcess s = StoreProcess.fresh(logDir);
      ALL_STORES.add(s);
      s.start();
      store = s;
    }
    return store;
  }

  /** Node {@code i}, counting from 1 like the node names. */
  public NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** Starts {@code n} nodes that bootstrap one cluster, and waits until all see all Up. */
  public TestCluster start(int n) throws Exception {
    launch(n);
    awaitAllUp(nodes);
    return this;
  }

  /**
   * Starts {@code n} node JVMs without waiting for anything (for tests in which some must not
   * join); every node gets the same seed list of all {@code n} management endpoints.
   */
  public TestCluster launch(int n) throws IOException {
    List<Integer> ports = freePorts(2 * n);
    for (int i = 0; i < n; i++) {
      String name = "node-" + (i + 1);
      nodes.add(new NodeProcess(name, ports.get(2 * i), ports.get(2 * i + 1),
          logDir.resolve(name + ".log").toAbsolutePath()));
    }
    seeds = nodes.stream().map(p -> "127.0.0.1:" + p.managementPort()).toList();
    for (NodeProcess p : nodes) {
      launch(p);
    }
    return this;
  }

  /** Starts node {@code i} again on the same ports (after it was killed). */
  public void restart(int i) throws IOException {
    NodeProcess p = node(i);
    if (p.isAlive()) {
      throw new IllegalStateException(p + " is still running");
    }
    launch(p);
  }

  private void launch(NodeProcess p) throws IOException {
    String storeUrl = store().url();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dssi.node.parent-pid=" + ProcessHandle.current().pid(),
        "-Dssi.node.name=" + p.name(),
        "-Dssi.node.remote-port=" + p.remotePort(),
        "-Dssi.node.management-port=" + p.managementPort(),
        "-Dssi.node.seeds=" + String.join(",", seeds),
        "-Dssi.store.url=" + storeUrl,
        // the test class path also holds logback-test.xml (log capture); nodes log to their file
        "-Dlogback.configurationFile=logback.xml"));
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>(properties);
    props.putAll(nodeProperties.getOrDefault(p.name(), java.util.Map.of()));
    props.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "ssi.node.Main"));
    Files.writeString(p.log(), "=== " + testName + ": starting " + p.name() + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(p.log().toFile()))
        .start();
    p.started(process);
    ALL.add(p);
  }

  /** Waits until every node in {@code viewers} answers and sees exactly {@code viewers} Up. */
  public void awaitAllUp(List<NodeProcess> viewers) {
    Set<String> expected = viewers.stream().map(NodeProcess::address).collect(Collectors.toSet());
    Await.until(FORM_TIMEOUT, "all of " + viewers + " Up and reachable", () -> {
      for (NodeProcess viewer : viewers) {
        if (!viewer.isAlive()) {
          throw new AssertionError(viewer + " exited; log tail:\n"
              + String.join("\n", viewer.logTail(30)));
        }
        Members m = members(viewer);
        if (!m.up().equals(expected) || !m.all().equals(expected) || !m.unreachable().isEmpty()) {
          throw new AssertionError(viewer.name() + " sees " + m);
        }
      }
    });
  }

  /** The membership as {@code viewer} reports it on {@code /cluster/members}. */
  public Members members(NodeProcess viewer) throws IOException {
    JsonNode body = http.getJson(viewer.baseUrl() + "/cluster/members");
    Set<String> all = new java.util.TreeSet<>();
    Set<String> up = new java.util.TreeSet<>();
    Set<String> unreachable = new java.util.TreeSet<>();
    for (JsonNode m : body.path("members")) {
      all.add(m.path("node").asText());
      if (m.path("status").asText().equals("Up")) {
        up.add(m.path("node").asText());
      }
    }
    body.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
    return new Members(all, up, unreachable, body.path("leader").asText(null));
  }

  /** What one node sees of the cluster. */
  public record Members(Set<String> all, Set<String> up, Set<String> unreachable, String leader) {
  }

  /** Stops the nodes (SIGTERM, SIGKILL after 10 s), then the store. */
  @Override
  public void close() throws InterruptedException {
    try {
      for (NodeProcess p : nodes) {
        p.stop(Duration.ofSeconds(10));
        ALL.remove(p);
      }
    } finally {
      StoreProcess s;
      synchronized (this) {
        s = store;
      }
      if (s != null) {
        s.stop(STORE_GRACE);
        ALL_STORES.remove(s);
      }
    }
  }

  /** Prints each node's log tail, and the store's (for a failed test). */
  public void printLogTails(int lines) {
    for (NodeProcess p : nodes) {
      System.out.println("----- " + p + " log tail (" + p.log() + ")");
      p.logTail(lines).forEach(System.out::println);
    }
    StoreProcess s;
    synchronized (this) {
      s = store;
    }
    if (s != null) {
      System.out.println("----- " + s + " log tail (" + s.log() + ")");
      s.logTail(lines).forEach(System.out::println);
    }
  }

  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}

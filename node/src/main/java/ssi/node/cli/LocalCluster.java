package ssi.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local cluster that {@code ssi up} started: one record per node under
 * {@code <project>/.ssi/nodes/}, logs under {@code .ssi/logs/}. The project root comes from the
 * {@code ssi.home} system property (set by {@code bin/ssi}), else the working directory.
 */
final class LocalCluster {

  /** What {@code ssi up} remembers of a node it started. */
  record NodeRecord(String name, long pid, int remotePort, int managementPort, Path log) {

    String managementUrl() {
      return "http://127.0.0.1:" + managementPort;
    }

    Optional<ProcessHandle> process() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    boolean alive() {
      return process().isPresent();
    }
  }

  private final Path home;

  LocalCluster(Path home) {
    this.home = home;
  }

  static LocalCluster fromEnvironment() {
    String home = System.getProperty("ssi.home", System.getenv().getOrDefault("SSI_HOME", "."));
    return new LocalCluster(Path.of(home).toAbsolutePath().normalize());
  }

  Path home() {
    return home;
  }

  Path stateDir() {
    return home.resolve(".ssi");
  }

  /**
   * The class path the store and the nodes run from: a copy of the node jar in the state
   * directory, so that rebuilding the project ({@code bin/ssi} does when sources changed) never
   * swaps the jar under running JVMs. The copy is refreshed only while no node of this cluster
   * runs; a class path that is not a single jar (an IDE, tests) is used as it is.
   */
  String runClasspath() throws java.io.IOException {
    String cp = System.getProperty("java.class.path");
    Path jar = Path.of(cp);
    if (cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")
        || !java.nio.file.Files.isRegularFile(jar)) {
      return cp;
    }
    Path copy = stateDir().resolve("ssi-node.jar");
    if (!java.nio.file.Files.exists(copy) || aliveNodes().isEmpty()) {
      java.nio.file.Files.createDirectories(stateDir());
      Path tmp = stateDir().resolve("ssi-node.jar.tmp");
      java.nio.file.Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      java.nio.file.Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return copy.toString();
  }

  Path nodesDir() {
    return stateDir().resolve("nodes");
  }

  Path logsDir() {
    return stateDir().resolve("logs");
  }

  List<NodeRecord> nodes() throws IOException {
    if (!Files.isDirectory(nodesDir())) {
      return List.of();
    }
    List<NodeRecord> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(nodesDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".properties")).toList()) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
          p.load(in);
        }
        out.add(new NodeRecord(p.getProperty("name"), Long.parseLong(p.getProperty("pid")),
            Integer.parseInt(p.getProperty("remote-port")),
            Integer.parseInt(p.getProperty("management-port")), Path.of(p.getProperty("log"))));
      }
    }
    out.sort(Comparator.comparingInt(NodeRecord::managementPort));
    return out;
  }

  List<NodeRecord> aliveNodes() throws IOException {
    return nodes().stream().filter(NodeRecord::alive).toList();
  }

  void save(NodeRecord r) throws IOException {
    Files.createDirectories(nodesDir());
    Properties p = new Properties();
    p.setProperty("name", r.name());
    p.setProperty("pid", Long.toString(r.pid()));
    p.setProperty("remote-port", Integer.toString(r.remotePort()));
    p.setProperty("management-port", Integer.toString(r.managementPort()));
    p.setProperty("log", r.log().toString());
    try (OutputStream out = Files.newOutputStream(nodesDir().resolve(r.name() + ".properties"))) {
      p.store(out, "node started by ssi up");
    }
  }

  void forget(NodeRecord r) throws IOException {
    Files.deleteIfExists(nodesDir().resolve(r.name() + ".properties"));
  }
}

package ssi.multijvm.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One node JVM started by {@link TestCluster}: its ports, process and log. */
public final class NodeProcess {

  private final String name;
  private final int remotePort;
  private final int managementPort;
  private final Path log;
  private Process process;

  NodeProcess(String name, int remotePort, int managementPort, Path log) {
    this.name = name;
    this.remotePort = remotePort;
    this.managementPort = managementPort;
    this.log = log;
  }

  void started(Process p) {
    this.process = p;
  }

  public String name() {
    return name;
  }

  public int remotePort() {
    return remotePort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** e.g. {@code http://127.0.0.1:8558} */
  public String baseUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  /** The Akka address other members know this node by. */
  public String address() {
    return "akka://ssi@127.0.0.1:" + remotePort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
    }
  }

  /** {@code kill -<sig>} of the node's JVM, e.g. STOP and CONT to pause it as a partition would. */
  public void signal(String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /** SIGTERM (the node leaves the cluster), then SIGKILL after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The last {@code n} lines of the node's log, for failure reports. */
  public List<String> logTail(int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + (process == null ? "-" : process.pid()) + ", " + baseUrl() + ")";
  }
}

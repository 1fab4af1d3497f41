package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ssi status}: the members of the running local cluster, with their management URLs, and
 * the page store (URL, pid, up).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the members of the running cluster and its page store "
        + "(exit 1 if no cluster runs).")
final class StatusCommand implements Callable<Integer> {

  private static final String ROW = "%-8s %-9s %-11s %-30s %s%n";

  @Override
  public Integer call() throws IOException {
    LocalCluster cluster = LocalCluster.fromEnvironment();
    List<LocalCluster.NodeRecord> alive = cluster.aliveNodes();
    ManagementClient client = new ManagementClient();
    if (alive.isEmpty()) {
      System.out.println("no cluster running (`bin/ssi up` starts one)");
      storeLine(cluster, alive, client).ifPresent(System.out::println);
      return 1;
    }
    for (LocalCluster.NodeRecord asked : alive) {
      List<ManagementClient.Member> members;
      try {
        members = client.members(asked.managementUrl());
      } catch (IOException e) {
        continue;
      }
      System.out.printf(ROW, "NODE", "STATUS", "REACHABLE", "ADDRESS", "MANAGEMENT");
      for (ManagementClient.Member m : members) {
        String url = alive.stream()
            .filter(r -> m.node().endsWith(":" + r.remotePort()))
            .map(LocalCluster.NodeRecord::managementUrl).findFirst().orElse("-");
        System.out.printf(ROW, ManagementClient.nameOf(m), m.status(),
            m.reachable() ? "yes" : "NO", m.node(), url);
      }
      System.out.println("(as seen by " + asked.name() + ")");
      storeLine(cluster, alive, client).ifPresent(System.out::println);
      return 0;
    }
    System.out.println(alive.size() + " node JVM(s) are running but none answers on its "
        + "management port yet; logs are in .ssi/logs/");
    storeLine(cluster, alive, client).ifPresent(System.out::println);
    return 1;
  }

  /** A node's {@code /ssi/store} answer. */
  private record Seen(String by, JsonNode body) {
  }

  /**
   * {@code STORE <url> pid <pid> up|DOWN|...}: the URL and pid of the store {@code up} started
   * (or the URL the nodes report when the user configured one; never a password), and whether it
   * is up as a node's {@code /ssi/store} sees it, else whether it accepts connections. Empty when
   * there is neither a store nor a node to ask.
   */
  private static Optional<String> storeLine(LocalCluster cluster,
      List<LocalCluster.NodeRecord> alive, ManagementClient client) throws IOException {
    LocalStore store = new LocalStore(cluster);
    Optional<LocalStore.StoreRecord> record = store.record();
    Optional<Seen> seen = ask(alive, client);
    if (record.isEmpty() && seen.isEmpty()) {
      return store.postmaster().map(p -> "STORE    PostgreSQL pid " + p.pid() + " runs on "
          + cluster.home().relativize(store.dataDir()) + " without its store process "
          + "(`bin/ssi down` stops it)");
    }
    String url = record.map(LocalStore.StoreRecord::url).filter(u -> !u.isBlank())
        .or(() -> seen.map(Seen::body).filter(b -> b.path("configured").asBoolean())
            .map(b -> b.path("url").asText()))
        .orElse("(none)");
    String pid = record.filter(LocalStore.StoreRecord::alive)
        .map(r -> Long.toString(r.pid()))
        .or(() -> store.postmaster().map(p -> p.pid() + " (PostgreSQL; its store process is "
            + "gone, `bin/ssi down` stops it)"))
        .orElse("-");
    String state;
    if (seen.isPresent()) {
      JsonNode b = seen.get().body();
      state = !b.path("configured").asBoolean() ? "not configured on " + seen.get().by()
          : (b.path("up").asBoolean() ? "up" : "DOWN (" + b.path("errno").asText() + ")")
              + " (as seen by " + seen.get().by() + ")";
    } else if (record.isPresent() && record.get().alive()) {
      state = record.get().accepting() ? "up (accepts connections)" : "DOWN (no connection)";
    } else {
      state = "not running (log " + cluster.home().relativize(store.log()) + ")";
    }
    return Optional.of("STORE    " + url + "  pid " + pid + "  " + state);
  }

  /** The first node that answers {@code /ssi/store}. */
  private static Optional<Seen> ask(List<LocalCluster.NodeRecord> alive,
      ManagementClient client) {
    for (LocalCluster.NodeRecord n : alive) {
      try {
        return Optional.of(new Seen(n.name(), client.getJson(n.managementUrl() + "/ssi/store")));
      } catch (IOException e) {
        // not answering yet: ask the next
      }
    }
    return Optional.empty();
  }
}

package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssi watch}: follows the cluster's migration stream and prints one line per piece as it
 * happens ({@code 04:01:02.123  m-7 pid 123 counter  node-1 -> node-2  core  3.1 ms}) until ^C,
 * or until {@code --count} pieces; reconnects, saying so, when the node goes away.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow the live migration stream (GET /ssi/migrations/stream) and print each "
        + "piece as it happens: time, migration, pid, program, from -> to, piece, pause. "
        + "^C ends it.",
        "When the node goes away it says so and reconnects (without --node: to any live node)."})
final class WatchCommand extends ClusterCommand {

  @Option(names = "--count", paramLabel = "N",
      description = "exit after N pieces (default: follow until ^C)")
  int count;

  /** Pause between reconnection attempts; tests shorten it. */
  Duration retry = Duration.ofSeconds(1);

  /** The zone of the printed times; tests fix it. */
  ZoneId zone = ZoneId.systemDefault();

  private final Map<Long, String> programs = new HashMap<>();

  @Override
  int run(String base) throws IOException, RequestRefused {
    MigrationStream.Endpoint endpoint = node != null ? () -> base
        : () -> firstLiveNode(LocalCluster.fromEnvironment(), client);
    int[] seen = {0};
    new MigrationStream(client.http(), endpoint, retry).follow(new MigrationStream.Listener() {
      @Override
      public boolean piece(JsonNode event) {
        out().println(MigrationTimeline.piece(event, program(base, event), zone));
        seen[0]++;
        return count <= 0 || seen[0] < count;
      }

      @Override
      public void notice(String line) {
        err().println(prefix() + line);
      }
    });
    return 0;
  }

  /** The event's program, else the process's as the node tells it (remembered per pid). */
  private String program(String base, JsonNode event) {
    if (event.hasNonNull("program")) {
      return event.get("program").asText();
    }
    long pid = event.path("pid").asLong();
    String known = programs.get(pid);
    if (known != null) {
      return known;
    }
    try {
      String program = client.get(processUrl(base, pid)).path("program").asText("?");
      programs.put(pid, program);
      return program;
    } catch (IOException | RequestRefused e) {
      return "?";
    }
  }
}

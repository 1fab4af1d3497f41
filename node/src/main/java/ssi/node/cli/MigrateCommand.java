package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi migrate PID NODE}: moves a running process and prints its migration timeline (each
 * piece and its pause, the total); exit 0 only when the migration is {@code complete}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Migrate process PID to NODE while it runs and print the timeline: each piece "
        + "(core, each fd) with its pause, and the total. Exit 0 only when it is complete.")
final class MigrateCommand extends ClusterCommand {

  @Parameters(index = "0", paramLabel = "PID")
  long pid;

  @Parameters(index = "1", paramLabel = "NODE", description = "target node, e.g. node-2")
  String to;

  @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
      description = "seconds to wait for the migration to complete (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  int run(String base) throws IOException, RequestRefused {
    JsonNode m = client.send("POST", processUrl(base, pid) + "/migrate", Map.of("to", to),
        Duration.ofSeconds(timeoutSeconds));
    MigrationTimeline.summary(m).forEach(out()::println);
    if (!"complete".equals(m.path("state").asText())) {
      err().println(prefix() + "the migration ended " + m.path("state").asText("?")
          + ", not complete");
      return REFUSED;
    }
    return 0;
  }
}

package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi drain NODE}: migrates every process off NODE, which then leaves the cluster; prints
 * each process that moved and where it runs now.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
    description = "Migrate every process off NODE, then make NODE leave the cluster; print what "
        + "moved.")
final class DrainCommand extends ClusterCommand {

  @Parameters(index = "0", paramLabel = "NODE", description = "the node to empty, e.g. node-3")
  String drained;

  @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS",
      description = "seconds to wait until every process moved (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  int run(String base) throws IOException, RequestRefused {
    JsonNode answer = client.send("POST", base + "/ssi/nodes/" + drained + "/drain", null,
        Duration.ofSeconds(timeoutSeconds));
    JsonNode migrated = answer.path("migrated");
    out().println(drained + ": " + migrated.size() + " process(es) migrated off"
        + (answer.path("leaving").asBoolean() ? "; the node is leaving the cluster" : ""));
    for (JsonNode pid : migrated) {
      out().println("  pid " + pid.asText() + whereNow(base, pid.asLong()));
    }
    return 0;
  }

  /** {@code " counter -> node-1"} as the node sees it now; empty when it cannot tell. */
  private String whereNow(String base, long pid) {
    try {
      JsonNode p = client.get(processUrl(base, pid));
      return " " + p.path("program").asText("?") + " -> " + p.path("node").asText("?");
    } catch (IOException | RequestRefused e) {
      return ""; // the node we asked may be the one leaving; the pid is what matters
    }
  }
}

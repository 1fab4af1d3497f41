package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssi kill PID [--signal TERM|INT|KILL]}: sends a signal to a process. */
@Command(name = "kill", mixinStandardHelpOptions = true,
    description = "Send a signal to process PID (default TERM).")
final class KillCommand extends ClusterCommand {

  /** The signals a process understands. */
  enum Signal { TERM, INT, KILL }

  @Parameters(index = "0", paramLabel = "PID")
  long pid;

  @Option(names = {"-s", "--signal"}, defaultValue = "TERM", paramLabel = "SIGNAL",
      description = "one of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Signal signal;

  @Override
  int run(String base) throws IOException, RequestRefused {
    JsonNode answer = client.send("POST", processUrl(base, pid) + "/kill",
        Map.of("signal", signal.name()), ManagementClient.QUERY_TIMEOUT);
    out().println("pid " + answer.path("pid").asText(Long.toString(pid)) + ": sent "
        + answer.path("signal").asText(signal.name()));
    return 0;
  }
}

package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code ssi ps}: every process of the cluster, where it runs and where its fd drivers live. */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = {"List the cluster's processes: PID, PROGRAM, NODE, STATE, STEPS, MIGRATIONS, "
        + "EXIT (status of exited ones) and FDS (fd:kind@driver-node, * = the driver is not on "
        + "the process's node)."})
final class PsCommand extends ClusterCommand {

  @Override
  int run(String base) throws IOException, RequestRefused {
    JsonNode body = client.get(base + "/ssi/processes");
    ProcessTable.format(body.path("processes")).forEach(out()::println);
    return 0;
  }
}

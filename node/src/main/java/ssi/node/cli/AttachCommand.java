package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi attach PID}: a terminal on a process's tty, in line mode. A reader thread sends each
 * line typed on stdin to {@code POST /ssi/processes/{pid}/tty} (end of input sends ^D,
 * {@code \u0004}); the command polls {@code GET .../tty?from=N} and prints what the line
 * discipline echoed and the process wrote, until the tty says it is closed.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = {"Attach this terminal to the tty of process PID (spawned with --tty): lines "
        + "typed here go to the process, its output is printed; end of input (^D) sends ^D. "
        + "Ends when the tty closes."})
final class AttachCommand extends ClusterCommand {

  private static final String EOT = "\u0004";

  @Parameters(index = "0", paramLabel = "PID")
  long pid;

  /** Where the typed lines come from; tests hand their own. */
  InputStream in = System.in;

  /** Pause between polls that brought nothing new. */
  Duration poll = Duration.ofMillis(200);

  @Override
  int run(String base) throws IOException, RequestRefused {
    String tty = processUrl(base, pid) + "/tty";
    JsonNode first = client.get(tty + "?from=0"); // an unknown pid is refused here, before typing
    err().println("attached to the tty of pid " + pid + " (end of input, ^D, sends ^D)");
    Thread typing = new Thread(() -> type(tty), "ssi-attach-stdin");
    typing.setDaemon(true);
    typing.start();
    JsonNode answer = first;
    while (true) {
      String output = answer.path("output").asText("");
      if (!output.isEmpty()) {
        out().print(output);
        out().flush();
      }
      if (answer.path("closed").asBoolean()) {
        err().println("[pid " + pid + ": tty closed]");
        return 0;
      }
      if (output.isEmpty()) {
        LockSupport.parkNanos(poll.toNanos());
      }
      answer = client.get(tty + "?from=" + answer.path("next").asLong());
    }
  }

  /** Sends each typed line, then ^D at end of input; stops quietly when a send fails. */
  private void type(String tty) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        client.postBytes(tty, (line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      client.postBytes(tty, EOT.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RequestRefused e) {
      err().println(prefix() + "input not sent: " + e.getMessage());
    }
  }
}

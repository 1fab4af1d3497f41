package ssi.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ssi attach}: typed lines and the final ^D reach {@code POST .../tty} in order, the
 * output polled from {@code GET .../tty?from=N} is printed, and the command ends when the tty
 * says closed; an unknown pid is refused before anything is typed.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken stop hangs
class AttachCommandTest {

  @Test
  void typedLinesGoToTheTtyAndOutputIsPrintedUntilClosed() throws IOException {
    try (CannedNode node = new CannedNode()) {
      String tty = "/ssi/processes/42/tty";
      node.on("POST", tty, 200, "{\"accepted\":1}");
      node.on("GET", tty, r -> {
        boolean eof = node.requests("POST", tty).stream()
            .anyMatch(p -> p.body().equals("\u0004"));
        if (r.uri().endsWith("from=0")) {
          return new CannedNode.Answer(200, "{\"output\":\"$ \",\"next\":2,\"closed\":false}");
        }
        return eof ? new CannedNode.Answer(200, "{\"output\":\"hi\\nbye\\n\",\"next\":9,"
            + "\"closed\":true}")
            : new CannedNode.Answer(200, "{\"output\":\"\",\"next\":2,\"closed\":false}");
      });
      AttachCommand attach = new AttachCommand();
      attach.in = new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8));
      attach.poll = Duration.ofMillis(10);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "42");
      assertEquals(0, run.exit(), run.err());
      assertEquals("$ hi\nbye\n", run.out());
      assertEquals(List.of("hi\n", "\u0004"),
          node.requests("POST", tty).stream().map(CannedNode.Request::body).toList());
      assertTrue(node.requests("GET", tty).stream().skip(1)
          .allMatch(r -> r.uri().endsWith("from=2")), "polls from where the output ended");
      assertTrue(run.err().endsWith("[pid 42: tty closed]\n"), run.err());
    }
  }

  @Test
  void unknownPidIsRefused() throws IOException {
    try (CannedNode node = new CannedNode()) {
      node.on("GET", "/ssi/processes/7/tty", 404, "{\"error\":\"no process 7\",\"status\":404}");
      AttachCommand attach = new AttachCommand();
      attach.in = new ByteArrayInputStream(new byte[0]);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "7");
      assertEquals(1, run.exit());
      assertEquals("ssi attach: no process 7 (HTTP 404)\n", run.err());
      assertTrue(node.requests("POST", "/ssi/processes/7/tty").isEmpty());
    }
  }
}

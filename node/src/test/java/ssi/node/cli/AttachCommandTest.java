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
 * says closed; an unknown pid is refused before anything is typed. On a terminal (a stand-in
 * here) bytes go as typed, ^] detaches, output LF becomes CR LF, and the terminal's settings
 * come back however the command ends.
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
      attach.terminal = new FakeTerminal(false);
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
      attach.terminal = new FakeTerminal(true);
      attach.in = new ByteArrayInputStream(new byte[0]);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "7");
      assertEquals(1, run.exit());
      assertEquals("ssi attach: no process 7 (HTTP 404)\n", run.err());
      assertTrue(node.requests("POST", "/ssi/processes/7/tty").isEmpty());
      assertEquals(0, ((FakeTerminal) attach.terminal).entered, "refused before raw mode");
    }
  }

  @Test
  void onATerminalBytesGoAsTypedUntilCtrlRightBracketDetachesAndTheTerminalIsRestored()
      throws IOException {
    try (CannedNode node = new CannedNode()) {
      String tty = "/ssi/processes/42/tty";
      node.on("POST", tty, 200, "{\"accepted\":1}");
      node.on("GET", tty, r -> r.uri().endsWith("from=0")
          ? new CannedNode.Answer(200, "{\"output\":\"x\\ny\",\"next\":3,\"closed\":false}")
          : new CannedNode.Answer(200, "{\"output\":\"\",\"next\":3,\"closed\":false}"));
      AttachCommand attach = new AttachCommand();
      FakeTerminal terminal = new FakeTerminal(true);
      attach.terminal = terminal;
      // backspace (DEL), Enter (CR), ^C and ^D as a raw terminal sends them; then ^] and more
      attach.in = new ByteArrayInputStream("ab\u007f\r\u0003\u0004\u001dnot sent"
          .getBytes(StandardCharsets.UTF_8));
      attach.poll = Duration.ofMillis(10);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "42");
      assertEquals(0, run.exit(), run.err());
      assertEquals("ab\u007f\r\u0003\u0004", String.join("", node.requests("POST", tty).stream()
          .map(CannedNode.Request::body).toList()), "every byte before ^], as typed, no ^D added");
      assertEquals("x\r\ny", run.out(), "LF printed as CR LF in raw mode");
      assertTrue(run.err().endsWith("[detached from pid 42; it goes on running]\n"), run.err());
      assertEquals(1, terminal.entered);
      assertEquals(1, terminal.restored, "restored once raw mode ends");
    }
  }

  @Test
  void theTerminalIsRestoredWhenTheNodeFailsWhileAttached() throws IOException {
    try (CannedNode node = new CannedNode()) {
      String tty = "/ssi/processes/42/tty";
      node.on("GET", tty, r -> r.uri().endsWith("from=0")
          ? new CannedNode.Answer(200, "{\"output\":\"\",\"next\":1,\"closed\":false}")
          : new CannedNode.Answer(500, "{\"error\":\"boom\",\"status\":500}"));
      AttachCommand attach = new AttachCommand();
      FakeTerminal terminal = new FakeTerminal(true);
      attach.terminal = terminal;
      attach.in = new java.io.PipedInputStream(new java.io.PipedOutputStream()); // never ends
      attach.poll = Duration.ofMillis(10);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "42");
      assertEquals(1, run.exit(), run.err());
      assertTrue(run.err().contains("boom"), run.err());
      assertEquals(1, terminal.entered);
      assertEquals(1, terminal.restored, "restored on the way out of a failure");
    }
  }

  @Test
  void inLineModeASigintToTheCommandSendsCtrlCToTheTty() throws IOException {
    // Our own handler first, put back by attach when it ends: a SIGINT raised before attach has
    // installed its handler must not end the test JVM.
    sun.misc.SignalHandler previous;
    try {
      previous = sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> { });
    } catch (IllegalArgumentException e) {
      org.junit.jupiter.api.Assumptions.abort("SIGINT cannot be handled here: " + e);
      return;
    }
    try (CannedNode node = new CannedNode()) {
      String tty = "/ssi/processes/42/tty";
      node.on("POST", tty, 200, "{\"accepted\":1}");
      node.on("GET", tty, r -> {
        if (r.uri().endsWith("from=0")) {
          return new CannedNode.Answer(200, "{\"output\":\"\",\"next\":1,\"closed\":false}");
        }
        boolean interrupted = node.requests("POST", tty).stream()
            .anyMatch(p -> p.body().equals("\u0003"));
        if (!interrupted) { // attach polls: its handler is in place
          sun.misc.Signal.raise(new sun.misc.Signal("INT"));
        }
        return new CannedNode.Answer(200, interrupted
            ? "{\"output\":\"^C\\n\",\"next\":4,\"closed\":true}"
            : "{\"output\":\"\",\"next\":1,\"closed\":false}");
      });
      AttachCommand attach = new AttachCommand();
      attach.terminal = new FakeTerminal(false);
      attach.in = new java.io.PipedInputStream(new java.io.PipedOutputStream()); // never ends
      attach.poll = Duration.ofMillis(10);
      CannedNode.Run run = CannedNode.run(attach, "--node", node.url(), "42");
      assertEquals(0, run.exit(), run.err());
      assertEquals("^C\n", run.out());
      assertEquals(List.of("\u0003"), node.requests("POST", tty).stream()
          .map(CannedNode.Request::body).distinct().toList(), "^C, and nothing else");
    } finally {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), previous);
    }
  }

  /** A terminal that only counts how often raw mode was entered and left. */
  private static final class FakeTerminal implements LocalTerminal {
    private final boolean interactive;
    private boolean raw;
    int entered;
    int restored;

    FakeTerminal(boolean interactive) {
      this.interactive = interactive;
    }

    @Override
    public boolean interactive() {
      return interactive;
    }

    @Override
    public synchronized void enterRaw() {
      raw = true;
      entered++;
    }

    @Override
    public synchronized void restore() {
      if (raw) {
        raw = false;
        restored++;
      }
    }
  }
}

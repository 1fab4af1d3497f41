package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi attach PID}: a terminal on a process's tty. Typed input goes to
 * {@code POST /ssi/processes/{pid}/tty}; the command polls {@code GET .../tty?from=N} and prints
 * what the line discipline echoed and the process wrote, until the tty says it is closed.
 *
 * <p>On a terminal it works in raw mode ({@link LocalTerminal}): every byte is sent as typed
 * (what is available at once in one request), so the tty's line discipline alone echoes, erases,
 * turns ^C into SIGINT and ^D into end of file — the local terminal would otherwise echo twice,
 * keep backspace and ^D to itself and kill this command on ^C. Enter sends CR, which the
 * discipline takes as end of line; output LF is printed CR LF, as raw mode needs. ^] detaches
 * (the process goes on). The terminal's settings come back on every way out, a shutdown hook
 * included. Without a terminal (a pipe, a test) it sends a line at a time, ^D at end of input;
 * there a SIGINT to this command sends ^C instead of ending it.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = {"Attach this terminal to the tty of process PID (spawned with --tty); its "
        + "output is printed. Ends when the tty closes.",
        "On a terminal, keys go to the process's tty as typed (raw mode): the tty echoes and "
        + "edits the line, ^C interrupts the process (exit 130), ^D on an empty line is its end "
        + "of input, ^] detaches and leaves the process running. The terminal's settings are "
        + "restored on exit.",
        "From a pipe, input goes a line at a time and its end sends ^D; a SIGINT (^C) to this "
        + "command sends ^C to the tty instead of ending the command; ^] in a line detaches."})
final class AttachCommand extends ClusterCommand {

  private static final byte CTRL_C = 3;
  private static final byte CTRL_D = 4;
  private static final byte DETACH = 0x1d;

  @Parameters(index = "0", paramLabel = "PID")
  long pid;

  /** Where the typed input comes from; tests hand their own. */
  InputStream in = System.in;

  /** The terminal to put in raw mode; tests hand a stand-in. */
  LocalTerminal terminal = LocalTerminal.system();

  /** Pause between polls that brought nothing new. */
  Duration poll = Duration.ofMillis(200);

  private volatile boolean detached;
  private volatile Thread follower;

  @Override
  int run(String base) throws IOException, RequestRefused {
    String tty = processUrl(base, pid) + "/tty";
    JsonNode first = client.get(tty + "?from=0"); // an unknown pid is refused here, before typing
    boolean raw = terminal.interactive();
    err().println(raw
        ? "attached to the tty of pid " + pid + " (^C interrupts it, ^D ends its input, "
            + "^] detaches)"
        : "attached to the tty of pid " + pid + " (end of input, ^D, sends ^D)");
    err().flush();
    Object sigint = null;
    boolean closed;
    try { // from here on the terminal's settings come back however this ends
      if (raw) {
        try {
          terminal.enterRaw();
        } catch (IOException e) {
          terminal.restore();
          raw = false;
          err().println(prefix() + "no raw mode (" + e.getMessage() + "): line mode");
        }
      }
      follower = Thread.currentThread();
      sigint = SigInt.install(() -> send(tty, new byte[] {CTRL_C}));
      boolean rawMode = raw;
      Thread typing = new Thread(() -> {
        if (rawMode) {
          typeRaw(tty);
        } else {
          typeLines(tty);
        }
      }, "ssi-attach-stdin");
      typing.setDaemon(true);
      typing.start();
      closed = follow(tty, first, raw);
    } finally {
      SigInt.restore(sigint);
      terminal.restore();
    }
    err().println(closed ? "[pid " + pid + ": tty closed]"
        : "[detached from pid " + pid + "; it goes on running]");
    return 0;
  }

  /** Prints the tty's output until it closes (true) or the user detaches (false). */
  private boolean follow(String tty, JsonNode first, boolean raw)
      throws IOException, RequestRefused {
    JsonNode answer = first;
    while (true) {
      String output = answer.path("output").asText("");
      if (!output.isEmpty()) {
        out().print(raw ? output.replace("\n", "\r\n") : output);
        out().flush();
      }
      if (answer.path("closed").asBoolean()) {
        return true;
      }
      if (output.isEmpty() && !detached) {
        LockSupport.parkNanos(poll.toNanos());
      }
      if (detached) {
        return false;
      }
      answer = client.get(tty + "?from=" + answer.path("next").asLong());
    }
  }

  /** Raw mode: sends the bytes as they come, up to ^]; the end of stdin detaches too. */
  private void typeRaw(String tty) {
    byte[] buffer = new byte[4096];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        int cut = indexOf(buffer, n, DETACH);
        if (!send(tty, Arrays.copyOf(buffer, cut >= 0 ? cut : n)) || cut >= 0) {
          break;
        }
      }
    } catch (IOException e) {
      err().println(prefix() + "input not read: " + e.getMessage());
    }
    detach();
  }

  /** Line mode: sends each line, then ^D at end of input; a line with ^] detaches. */
  private void typeLines(String tty) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int cut = line.indexOf(DETACH);
        if (cut >= 0) {
          send(tty, line.substring(0, cut).getBytes(StandardCharsets.UTF_8));
          detach();
          return;
        }
        if (!send(tty, (line + "\n").getBytes(StandardCharsets.UTF_8))) {
          return;
        }
      }
      send(tty, new byte[] {CTRL_D});
    } catch (IOException e) {
      err().println(prefix() + "input not read: " + e.getMessage());
    }
  }

  /** Posts {@code bytes} (nothing if empty); false, with a note, if the node refused them. */
  private boolean send(String tty, byte[] bytes) {
    if (bytes.length == 0) {
      return true;
    }
    try {
      client.postBytes(tty, bytes);
      return true;
    } catch (IOException | RequestRefused e) {
      err().println(prefix() + "input not sent: " + e.getMessage());
      return false;
    }
  }

  private void detach() {
    detached = true;
    Thread f = follower;
    if (f != null) {
      LockSupport.unpark(f);
    }
  }

  private static int indexOf(byte[] bytes, int length, byte b) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * SIGINT to this JVM sent to the tty as ^C while attached, through {@code sun.misc.Signal} —
   * no shutdown involved, so the command goes on. Where that is not available (or the JVM keeps
   * SIGINT, e.g. with {@code -Xrs}), nothing is installed and SIGINT ends the command as usual.
   */
  private static final class SigInt {

    private SigInt() {
    }

    /** Installs {@code action}; answers the handler it replaced, or null if none was set. */
    static Object install(Runnable action) {
      try {
        return sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> action.run());
      } catch (IllegalArgumentException | LinkageError e) {
        return null;
      }
    }

    /** Puts back what {@link #install} replaced. */
    static void restore(Object previous) {
      if (previous instanceof sun.misc.SignalHandler h) {
        try {
          sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
        } catch (IllegalArgumentException | LinkageError e) {
          // as at install: nothing to put back
        }
      }
    }
  }
}

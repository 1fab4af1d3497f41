package ssi.node.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The terminal {@code ssi attach} runs in: whether stdin is one, and raw mode on and off, so the
 * process's tty — not the local terminal — echoes, edits lines and sees ^C and ^D. Tests hand
 * {@link AttachCommand} a stand-in.
 */
interface LocalTerminal {

  /** Whether stdin and stdout are a terminal ({@code System.console() != null}). */
  boolean interactive();

  /** Saves the terminal's settings, then turns echo and line editing off (raw mode). */
  void enterRaw() throws IOException;

  /** Puts back the saved settings; does nothing unless raw mode is on, so call it freely. */
  void restore();

  /** The real terminal, switched with {@code stty} on {@code /dev/tty}. */
  static LocalTerminal system() {
    return new Stty();
  }

  /**
   * Raw mode through {@code stty raw -echo < /dev/tty}, the settings saved first with
   * {@code stty -g}; a JVM shutdown hook restores them if the JVM ends while raw mode is on
   * (SIGTERM, SIGHUP, {@code System.exit}), since a terminal left raw is unusable.
   */
  final class Stty implements LocalTerminal {

    private static final File TTY = new File("/dev/tty");
    private static final long STTY_SECONDS = 5;

    private final AtomicBoolean raw = new AtomicBoolean();
    private String saved;
    private Thread hook;

    @Override
    public boolean interactive() {
      return System.console() != null && TTY.exists();
    }

    @Override
    public void enterRaw() throws IOException {
      saved = stty("-g").trim();
      hook = new Thread(this::restore, "ssi-attach-restore-terminal");
      Runtime.getRuntime().addShutdownHook(hook);
      raw.set(true); // before switching: a switch that fails half-way is restored as well
      stty("raw", "-echo");
    }

    @Override
    public void restore() {
      if (!raw.compareAndSet(true, false)) {
        return;
      }
      try {
        stty(saved);
      } catch (IOException e) {
        System.err.println("ssi attach: could not restore the terminal (" + e.getMessage()
            + "); type `stty sane` to repair it");
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: this is the hook running
      }
    }

    /** Runs {@code stty ARGS} on {@code /dev/tty}; answers what it printed. */
    private static String stty(String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of("stty"));
      command.addAll(List.of(args));
      java.lang.Process p = new ProcessBuilder(command).redirectInput(TTY)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(STTY_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("stty " + String.join(" ", args) + " did not end");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running stty", e);
      }
      if (p.exitValue() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed (exit "
            + p.exitValue() + ")");
      }
      return out;
    }
  }
}

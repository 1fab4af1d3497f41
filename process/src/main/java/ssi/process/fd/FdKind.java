package ssi.process.fd;

/** What an fd driver is: decides how it migrates (DESIGN §10 step 3). */
public enum FdKind {
  /** A cluster file: moves with the process (file data is coherent) unless configured to stay. */
  FILE,
  /** The reading end of a pipe; holds the pipe's buffer and moves completely. */
  PIPE_READ,
  /** The writing end of a pipe; moves completely. */
  PIPE_WRITE,
  /** A terminal with a line discipline; moves completely. */
  TTY,
  /**
   * A TCP socket, listening or connected; never moves: it stays on its node and is reached
   * through its proxy port (a deliberate residual dependency).
   */
  SOCKET;

  /** The name shown in HTTP answers, e.g. {@code pipe-read}. */
  public String label() {
    return name().toLowerCase().replace('_', '-');
  }
}

package ssi.process.fd;

import ssi.actors.SsiMessage;
import ssi.files.handle.GlobalFileHandle;

/**
 * Everything a quiesced driver hands over when it moves: with it the driver is rebuilt on the
 * target node exactly where it stopped (DESIGN §10 step 3).
 */
public sealed interface DriverState extends SsiMessage {

  /** The port name the driver publishes (stable across moves, so senders find it again). */
  String port();

  /** The kind of driver this state rebuilds. */
  FdKind kind();

  /** A file: handle, path (for display), offset, append mode. */
  record File(String port, GlobalFileHandle handle, String path, long offset, boolean append)
      implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.FILE;
    }
  }

  /** A pipe's reading end: the pipe's buffered bytes and how many writers are still open. */
  record PipeRead(String port, long pipe, byte[] buffer, int writers) implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.PIPE_READ;
    }
  }

  /** A pipe's writing end: where the reading end's port is (it follows moves by redirect). */
  record PipeWrite(String port, long pipe, String readerNode, String readerPort)
      implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.PIPE_WRITE;
    }
  }

  /**
   * A terminal: the line being edited, completed input not yet read, the output so far (the
   * last {@code ssi.process.tty-history} bytes, {@code outputBase} is the offset of its first
   * byte), echo on, and whether ^D ended the input.
   */
  record Tty(String port, String editing, String input, String output, long outputBase,
      boolean eofPending) implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.TTY;
    }
  }

  /**
   * A TCP socket of this node: {@code channel} names the open channel in this node's
   * {@link Sockets} table, {@code detail} is what {@code GET /ssi/processes/{pid}} shows (e.g.
   * {@code listen 127.0.0.1:40123}), {@code listening} whether it accepts connections. Node-local
   * by nature — a socket never moves, so this state never leaves its node.
   */
  record Socket(String port, long channel, String detail, boolean listening)
      implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.SOCKET;
    }
  }
}

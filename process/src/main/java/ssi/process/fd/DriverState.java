package ssi.process.fd;

import java.util.List;
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

  /**
   * A pipe's reading end: the pipe's buffered bytes, how many writers are still open, which
   * incarnation of the driver this is ({@code gen}, one more at every move) and where each
   * writer's driver is ({@code peers}, as the writers told it), so a move can tell them.
   */
  record PipeRead(String port, long pipe, byte[] buffer, int writers, long gen, List<Peer> peers)
      implements DriverState {
    /** Copies the list. */
    public PipeRead {
      peers = List.copyOf(peers);
    }

    @Override
    public FdKind kind() {
      return FdKind.PIPE_READ;
    }
  }

  /**
   * A pipe's writing end: where the reading end's port is and which incarnation of it that is
   * ({@code readerGen}; it follows moves by the reader's notices, or by a "moved" answer), this
   * driver's own incarnation ({@code gen}), and whether the reader told it it closed.
   */
  record PipeWrite(String port, long pipe, String readerNode, String readerPort, long readerGen,
      long gen, boolean readerGone) implements DriverState {
    @Override
    public FdKind kind() {
      return FdKind.PIPE_WRITE;
    }

    /** The same end, its reader now at {@code node} (incarnation {@code g}). */
    PipeWrite readerAt(String node, long g) {
      return new PipeWrite(port, pipe, node, readerPort, g, gen, readerGone);
    }
  }

  /** The other end of a pipe: its port, the node serving it and that driver's incarnation. */
  record Peer(String port, String node, long gen) implements SsiMessage {
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

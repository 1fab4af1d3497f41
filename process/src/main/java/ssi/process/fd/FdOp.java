package ssi.process.fd;

import ssi.actors.SsiMessage;

/**
 * The operations a process sends to an fd driver's port (through a proxy port when the driver is
 * on another node). Each gets exactly one {@code Reply<FdResult>}.
 */
public sealed interface FdOp extends SsiMessage {

  /** Up to {@code max} bytes; a driver with nothing to give answers EAGAIN after a short wait. */
  record Read(int max) implements FdOp {
  }

  /** All of {@code data}; a full pipe answers EAGAIN and nothing was written. */
  record Write(byte[] data) implements FdOp {
  }

  /** A pipe's writing end {@code port} is gone (sent by the writer driver to the reader). */
  record WriterGone(String port) implements FdOp {
  }

  /**
   * The other end of a pipe, port {@code port}, is now served from {@code node} by its
   * {@code gen}-th driver (a writer tells its reader, a reader that moved tells its writers):
   * ends follow each other's moves without a redirecting stub. An older {@code gen} than the
   * one already known is ignored (notices may overtake each other).
   */
  record PeerAt(String port, String node, long gen) implements FdOp {
  }

  /** The reading end {@code port} was closed: writes get EPIPE from now on (reader to writers). */
  record PeerGone(String port) implements FdOp {
  }

  /**
   * To a redirecting stub: {@code party} (a peer's port name, or {@link #PROCESS}) knows where
   * the driver moved, so it will not send here again. A stub every party has told stops.
   */
  record Informed(String party) implements FdOp {
    /** The party that is the process itself (it drove the move). */
    public static final String PROCESS = "process";
  }
}

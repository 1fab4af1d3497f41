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

  /** A pipe's writing end is gone (sent by the writer driver to the reader). */
  record WriterGone() implements FdOp {
  }
}

package ssi.process.core;

import ssi.actors.SsiMessage;

/**
 * How a spawn wires one descriptor: a cluster file ({@code path}, {@code append}), a terminal,
 * the reading end of a new pipe, or the writing end of a pipe whose reader is at
 * ({@code readerNode}, {@code readerPort}).
 */
public record FdSpec(String kind, String path, boolean append, String readerNode,
    String readerPort) implements SsiMessage {

  /** A cluster file. */
  public static FdSpec file(String path, boolean append) {
    return new FdSpec("file", path, append, null, null);
  }

  /** A terminal. */
  public static FdSpec tty() {
    return new FdSpec("tty", null, false, null, null);
  }

  /** The reading end of a new pipe. */
  public static FdSpec pipeIn() {
    return new FdSpec("pipe-in", null, false, null, null);
  }

  /** The writing end of the pipe read at {@code readerPort} on {@code readerNode}. */
  public static FdSpec pipeOut(String readerNode, String readerPort) {
    return new FdSpec("pipe-out", null, false, readerNode, readerPort);
  }
}

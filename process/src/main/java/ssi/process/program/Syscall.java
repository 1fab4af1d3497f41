package ssi.process.program;

import java.util.List;
import java.util.Map;

/**
 * The one system call a {@link Program} step asks for. The process executes it (on whatever node
 * it runs now) and resumes the program with a {@link SysResult}. Regions of memory: 0 is the
 * process's own anonymous address space; {@link Mmap} adds a file as region 1, 2, ...
 */
public sealed interface Syscall {

  /** Up to {@code max} bytes from descriptor {@code fd}; blocks until some arrive or EOF. */
  record Read(int fd, int max) implements Syscall {
  }

  /** Writes all of {@code data} to {@code fd}; blocks while a pipe is full. Result value: bytes written. */
  record Write(int fd, byte[] data) implements Syscall {
  }

  /**
   * Opens the cluster file at {@code path} (created with its parent directories if missing) as
   * the lowest free descriptor; result value: the descriptor. {@code append}: every write lands at
   * the end.
   */
  record Open(String path, boolean append) implements Syscall {
  }

  /** Closes {@code fd}. */
  record Close(int fd) implements Syscall {
  }

  /** {@code len} bytes of memory region {@code region} at {@code offset}. */
  record MemRead(int region, long offset, int len) implements Syscall {
  }

  /** Stores {@code data} into memory region {@code region} at {@code offset}. */
  record MemWrite(int region, long offset, byte[] data) implements Syscall {
  }

  /** Maps the cluster file at {@code path} (created if missing); result value: the region number. */
  record Mmap(String path) implements Syscall {
  }

  /** Sleeps {@code millis} milliseconds (a migration may happen meanwhile). */
  record Sleep(long millis) implements Syscall {
  }

  /**
   * Starts {@code program} with {@code args} as a new process (it inherits this process's
   * environment) on the node named {@code node}, or the least-loaded one when null; its
   * descriptors are cluster files, {@code files} mapping a descriptor to a path (created if
   * missing, written at its end). Result value: the child's pid. ENOENT for an unknown program,
   * EINVAL for bad arguments, EHOSTDOWN for an unknown node, EAGAIN when no node takes it now.
   */
  record Spawn(String program, List<String> args, String node, Map<Integer, String> files)
      implements Syscall {
    /** Copies the collections (immutable). */
    public Spawn {
      args = List.copyOf(args);
      files = Map.copyOf(files);
    }
  }

  /** Ends the process with {@code status}. */
  record Exit(int status) implements Syscall {
  }

  /**
   * A listening TCP socket on this node's host ({@code ssi.node.host}) at {@code port}, 0 for
   * any free port; result value: its descriptor (the bound address shows in the descriptor's
   * detail, e.g. {@code listen 127.0.0.1:40123}). EBUSY when the port is taken. The socket stays
   * on this node if the process migrates.
   */
  record Listen(int port) implements Syscall {
  }

  /**
   * Waits for a connection on listening socket {@code fd}; result value: the connection's
   * descriptor, which reads and writes like a pipe end (end of file when the peer closed, EPIPE
   * when writing to a peer that is gone).
   */
  record Accept(int fd) implements Syscall {
  }
}

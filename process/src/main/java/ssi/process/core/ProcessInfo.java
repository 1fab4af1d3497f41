package ssi.process.core;

import akka.actor.typed.ActorRef;
import java.util.List;
import ssi.actors.SsiMessage;
import ssi.process.fd.FdDriver;

/**
 * A process as {@code GET /ssi/processes/{pid}} shows it: where it runs, its state, its
 * descriptors with where each driver lives, and its residual dependencies on other nodes with
 * the traffic each has cost. {@code memory}: the object ids of its memory regions (region 0, its
 * own address space, first; then the files it mapped).
 */
public record ProcessInfo(long pid, String program, List<String> args, String node,
    String state, Integer exitStatus, String exitReason, long steps, int migrations,
    long startedAtMillis, List<Long> memory, List<Fd> fds, List<Residual> residual)
    implements SsiMessage {

  /** Copies the lists. */
  public ProcessInfo {
    args = List.copyOf(args);
    memory = List.copyOf(memory);
    fds = List.copyOf(fds);
    residual = List.copyOf(residual);
  }

  /**
   * One descriptor: its driver's kind and node, whether that is the process's node, and for a
   * file its object id (-1 otherwise).
   */
  public record Fd(int fd, String kind, String driverNode, boolean local, String detail,
      long object, ActorRef<FdDriver.Command> driver) implements SsiMessage {
  }

  /** Something the process still needs from another node, and what it has cost so far. */
  public record Residual(String kind, String what, String node, long messages, long bytes)
      implements SsiMessage {
  }

  /** Whether the process has ended. */
  public boolean exited() {
    return "exited".equals(state);
  }
}

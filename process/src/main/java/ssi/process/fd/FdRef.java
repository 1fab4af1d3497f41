package ssi.process.fd;

import akka.actor.typed.ActorRef;
import ssi.actors.SsiMessage;

/**
 * One entry of a process's fd table: which driver serves descriptor {@code fd}, where it lives
 * now ({@code node}, an Akka address) and the name of its port there. The process reaches the
 * port through a proxy port while the driver is on another node; {@code driver} takes the
 * migration's control messages ({@link FdDriver.Quiesce}, {@link FdDriver.MovedTo}); {@code object}
 * is a file's object id (-1 for other kinds).
 */
public record FdRef(int fd, FdKind kind, String node, String port,
    ActorRef<FdDriver.Command> driver, String detail, long object) implements SsiMessage {

  /** The same descriptor served from {@code newNode} by {@code newDriver}. */
  public FdRef at(String newNode, ActorRef<FdDriver.Command> newDriver) {
    return new FdRef(fd, kind, newNode, port, newDriver, detail, object);
  }
}

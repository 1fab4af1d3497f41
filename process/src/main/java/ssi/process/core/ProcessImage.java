package ssi.process.core;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Map;
import ssi.actors.SsiMessage;
import ssi.process.fd.FdRef;
import ssi.process.migration.MigrationResult;
import ssi.process.program.Program;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * A process's core as it crosses nodes (DESIGN §10 step 1): the program's state, the result it
 * is to be resumed with (or the call to make again: {@code redo}, e.g. a read that was waiting),
 * when a sleep ends, its memory regions (object ids; memory itself is not copied — it follows on
 * demand), and the fd table's descriptors (the drivers stay where they are for now). Also where
 * it came from, so the target can count what it still depends on there.
 */
public record ProcessImage(long pid, String programName, List<String> args,
    Map<String, String> env, Program program, SysResult last, Syscall redo, long sleepUntil,
    List<Long> regions, List<FdRef> fds, long steps, int migrations, long startedAtMillis,
    String migration, String source, ActorRef<Process.Command> shell,
    ActorRef<MigrationResult> replyTo) implements SsiMessage {

  /** Copies the collections. */
  public ProcessImage {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    regions = List.copyOf(regions);
    fds = List.copyOf(fds);
  }
}

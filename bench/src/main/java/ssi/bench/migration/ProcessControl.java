package ssi.bench.migration;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import ssi.actors.lwkt.Reply;
import ssi.process.core.FdSpec;
import ssi.process.core.Process;
import ssi.process.core.ProcessInfo;
import ssi.process.core.ProcessTable;
import ssi.process.core.Processes;
import ssi.process.core.SpawnSpec;
import ssi.process.fd.FdDriver;
import ssi.process.migration.MigrationRecord;
import ssi.process.migration.MigrationResult;

/**
 * The suite's hands on processes, all through the public process API of node a: spawn a
 * {@link TouchProgram} with a tty on descriptor 0, wait for a state, migrate, type its line,
 * wait for its exit. Every wait has a deadline.
 */
final class ProcessControl {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_NANOS = 5_000_000;

  private final ActorSystem<?> system;
  private final Processes processes;

  ProcessControl(ActorSystem<?> system) {
    this.system = system;
    this.processes = Processes.get(system);
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Spawns {@code bench-touch PAGES TOUCH} on {@code node}, its descriptor 0 a tty. */
  long spawnTouch(String node, int pages, int touch) throws Exception {
    SpawnSpec spec = new SpawnSpec(TouchProgram.NAME, List.of(Integer.toString(pages),
        Integer.toString(touch)), Map.of(), node, Map.of(0, FdSpec.tty()));
    Processes.Outcome<List<Long>> o = await(processes.spawn(List.of(spec)));
    if (!o.isOk()) {
      throw new IllegalStateException("spawn of " + TouchProgram.NAME + " failed: " + o.status()
          + " " + o.error());
    }
    return o.value().get(0);
  }

  /** The running process {@code pid}, wherever it is. */
  Processes.Found find(long pid) throws Exception {
    return await(processes.find(pid)).orElseThrow(() ->
        new IllegalStateException("no process " + pid));
  }

  /** Waits until the process at {@code ref} is in {@code state} (e.g. "waiting": in a read). */
  ProcessInfo awaitState(ActorRef<Process.Command> ref, String state) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      ProcessInfo info = await(AskPattern.<Process.Command, ProcessInfo>ask(ref,
          Process.GetInfo::new, TIMEOUT, system.scheduler()));
      if (info.state().equals(state)) {
        return info;
      }
      if (info.exited() || System.nanoTime() > deadline) {
        throw new IllegalStateException("process " + info.pid() + " is " + info.state()
            + " (" + info.exitReason() + "), not " + state);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Migrates {@code pid} to {@code node}; the completed record (all pieces moved). */
  MigrationRecord migrate(long pid, String node) throws Exception {
    MigrationResult r = await(processes.migrate(pid, node));
    if (r.status() != 200 || r.record() == null) {
      throw new IllegalStateException("migration of " + pid + " to " + node + " failed: "
          + r.status() + " " + r.error());
    }
    return r.record();
  }

  /** The pause of the piece named {@code piece} (a prefix: "core", "fd 0"). */
  static double pause(MigrationRecord r, String piece) {
    return r.pieces().stream().filter(p -> p.piece().startsWith(piece)
            && !p.piece().endsWith("failed")).mapToDouble(MigrationRecord.Piece::pauseMs)
        .findFirst().orElseThrow(() -> new IllegalStateException("migration " + r.id()
            + " has no piece '" + piece + "': " + r.pieces()));
  }

  /** Types {@code line} on descriptor 0's tty, wherever its driver runs now. */
  void type(long pid, String line) throws Exception {
    ProcessInfo info = find(pid).info();
    ActorRef<FdDriver.Command> driver = info.fds().stream().filter(f -> f.fd() == 0)
        .findFirst().orElseThrow(() -> new IllegalStateException("process " + pid
            + " has no descriptor 0")).driver();
    Reply<Integer> r = await(AskPattern.<FdDriver.Command, Reply<Integer>>ask(driver,
        to -> new FdDriver.TtyInput(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), to),
        TIMEOUT, system.scheduler()));
    if (!r.isOk()) {
      throw new IllegalStateException("the tty of " + pid + " refused input: " + r.errno());
    }
  }

  /**
   * Waits for {@code pid} to exit on one of {@code nodes}; its last view. It asks the nodes'
   * process tables for the processes that ended there rather than {@code Processes.find}, which
   * can miss a process that exits while it looks (the table lists it as running, the process
   * has stopped before it answers the info request) and then waits out the ask timeout.
   */
  ProcessInfo awaitExit(long pid, List<ActorSystem<?>> nodes) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      for (ActorSystem<?> node : nodes) {
        String address = akka.cluster.typed.Cluster.get(node).selfMember().address().toString();
        ActorRef<ProcessTable.Command> table = ActorRefResolver.get(system).resolveActorRef(
            address + ProcessTable.PATH);
        ProcessTable.Listing l = await(AskPattern.<ProcessTable.Command, ProcessTable.Listing>ask(
            table, ProcessTable.ListProcesses::new, TIMEOUT, system.scheduler()));
        for (ProcessInfo info : l.exited()) {
          if (info.pid() == pid) {
            return info;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("process " + pid + " did not exit");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}

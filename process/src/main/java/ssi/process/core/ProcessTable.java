package ssi.process.core;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.SsiMessage;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.files.api.Files;
import ssi.files.handle.GlobalFileHandle;
import ssi.process.ProcessSettings;
import ssi.process.fd.DriverState;
import ssi.process.program.Program;
import ssi.process.program.SysResult;

/**
 * Each node's process table (a system actor at {@link #PATH} on every node): starts the
 * processes spawned here, adopts the ones migrating here, and knows which run here now and which
 * ended here. Processes are children of the table and run on the node's CPU dispatchers (the
 * pid picks the CPU). Other nodes reach a table by its path; {@link #adopt} and {@link #ref} are
 * how.
 */
public final class ProcessTable extends AbstractBehavior<ProcessTable.Command> {

  /** The table's path on every node. */
  public static final String PATH = "/system/ssi-processes";

  /** What the table takes. */
  public interface Command extends SsiMessage {
  }

  /** Start a program (pid and address space allocated by the caller). */
  public record Spawn(long pid, long addressSpace, SpawnSpec spec, Program program,
      ActorRef<SpawnReply> replyTo) implements Command {
  }

  /** The answer to a spawn: {@code errno} OK, or why not. */
  public record SpawnReply(long pid, Errno errno, String error) implements SsiMessage {
  }

  /** Take over a migrating process; answers its new actor (also when asked twice). */
  public record Adopt(ProcessImage image, ActorRef<Reply<ActorRef<Process.Command>>> replyTo)
      implements Command {
  }

  /** The processes running here and those that ended here. */
  public record ListProcesses(ActorRef<Listing> replyTo) implements Command {
  }

  /**
   * Running processes by pid, and the ended ones' last view; {@code draining}: the node is being
   * drained, so it takes no new process.
   */
  public record Listing(String node, Map<Long, ActorRef<Process.Command>> running,
      List<ProcessInfo> exited, boolean draining) implements SsiMessage {
  }

  /** Start (or stop) refusing spawns and adoptions: the node is being drained. */
  public record SetDraining(boolean on, ActorRef<Listing> replyTo) implements Command {
  }

  /** A process ended (from the process). */
  record Exited(long pid, ProcessInfo info) implements Command, NoSerializationVerificationNeeded {
  }

  /** A process moved to another node (from the process). */
  record MovedAway(long pid) implements Command, NoSerializationVerificationNeeded {
  }

  private record Opened(Spawn spawn, Map<Integer, Reply<GlobalFileHandle>> files)
      implements Command, NoSerializationVerificationNeeded {
  }

  private final ActorContext<Command> ctx;
  private long incarnations;
  private boolean draining;
  private final ProcessSettings settings;
  private final Map<Long, ActorRef<Process.Command>> running = new HashMap<>();
  private final LinkedHashMap<Long, ProcessInfo> exited = new LinkedHashMap<>();
  private final LinkedHashMap<String, ActorRef<Process.Command>> adopted = new LinkedHashMap<>();

  static Behavior<Command> create() {
    return Behaviors.setup(ProcessTable::new);
  }

  private ProcessTable(ActorContext<Command> ctx) {
    super(ctx);
    this.ctx = ctx;
    this.settings = ProcessSettings.from(ctx.getSystem().settings().config());
  }

  /** The table on the node at {@code address}. */
  static ActorRef<Command> ref(ActorSystem<?> system, String address) {
    return ActorRefResolver.get(system).resolveActorRef(address + PATH);
  }

  /** Asks the table at {@code address} to adopt {@code image}; never fails exceptionally. */
  static CompletionStage<Reply<ActorRef<Process.Command>>> adopt(ActorSystem<?> system,
      String address, ProcessImage image, Duration timeout) {
    return AskPattern.<Command, Reply<ActorRef<Process.Command>>>ask(ref(system, address),
            r -> new Adopt(image, r), timeout, system.scheduler())
        .exceptionally(e -> Reply.error(Errno.ETIMEDOUT));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Spawn.class, this::onSpawn)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Adopt.class, this::onAdopt)
        .onMessage(ListProcesses.class, l -> {
          l.replyTo().tell(listing());
          return this;
        })
        .onMessage(SetDraining.class, d -> {
          draining = d.on();
          ctx.getLog().info(draining ? "draining: this node takes no new process"
              : "no longer draining");
          d.replyTo().tell(listing());
          return this;
        })
        .onMessage(Exited.class, this::onExited)
        .onMessage(MovedAway.class, m -> {
          running.remove(m.pid());
          return this;
        })
        .build();
  }

  private Listing listing() {
    return new Listing(Nodes.selfName(ctx.getSystem()), Map.copyOf(running),
        List.copyOf(exited.values()), draining);
  }

  private Behavior<Command> onSpawn(Spawn s) {
    if (draining) {
      s.replyTo().tell(new SpawnReply(s.pid(), Errno.EAGAIN, "node "
          + Nodes.selfName(ctx.getSystem()) + " is being drained"));
      return this;
    }
    Map<Integer, CompletableFuture<Reply<GlobalFileHandle>>> opens = new LinkedHashMap<>();
    s.spec().fds().forEach((fd, spec) -> {
      if ("file".equals(spec.kind())) {
        opens.put(fd, openFor(spec).toCompletableFuture());
      }
    });
    CompletableFuture<Void> all = CompletableFuture.allOf(
        opens.values().toArray(new CompletableFuture<?>[0]));
    ctx.pipeToSelf(all, (v, e) -> {
      Map<Integer, Reply<GlobalFileHandle>> files = new HashMap<>();
      opens.forEach((fd, f) -> files.put(fd, f.getNow(Reply.error(Errno.EIO))));
      return new Opened(s, files);
    });
    return this;
  }

  /**
   * Opens a descriptor's file: created if missing; emptied first unless it is appended to (as a
   * shell's {@code >} and {@code >>}).
   */
  private CompletionStage<Reply<GlobalFileHandle>> openFor(FdSpec spec) {
    return OpenFile.open(ctx.getSystem(), spec.path()).thenCompose(r -> !r.isOk() || spec.append()
        ? CompletableFuture.completedFuture(r)
        : Files.get(ctx.getSystem()).truncate(r.value(), 0)
            .thenApply(t -> t.isOk() ? r : Reply.<GlobalFileHandle>error(t.errno())));
  }

  private Behavior<Command> onOpened(Opened o) {
    Spawn s = o.spawn();
    List<DriverState> drivers = new ArrayList<>();
    Map<Integer, Integer> sharing = new HashMap<>();
    int tty = -1;
    for (Map.Entry<Integer, FdSpec> e : new java.util.TreeMap<>(s.spec().fds()).entrySet()) {
      int fd = e.getKey();
      FdSpec spec = e.getValue();
      String port = Process.portName(s.pid(), fd);
      switch (spec.kind()) {
        case "file" -> {
          Reply<GlobalFileHandle> r = o.files().get(fd);
          if (!r.isOk()) {
            s.replyTo().tell(new SpawnReply(s.pid(), r.errno(), "cannot open " + spec.path()
                + " for fd " + fd + ": " + r.errno()));
            return this;
          }
          drivers.add(new DriverState.File(port, r.value(), spec.path(), 0, spec.append()));
        }
        case "tty" -> {
          if (tty >= 0) {
            sharing.put(fd, tty); // one terminal per process, whichever descriptors show it
          } else {
            tty = fd;
            drivers.add(new DriverState.Tty(port, "", "", "", 0, false));
          }
        }
        case "pipe-in" -> drivers.add(new DriverState.PipeRead(port, s.pid() * 100 + fd,
            new byte[0], 1, 0, List.of()));
        case "pipe-out" -> drivers.add(new DriverState.PipeWrite(port,
            Long.parseLong(spec.readerPort().split(":")[1]) * 100
                + Integer.parseInt(spec.readerPort().split(":")[2]),
            spec.readerNode(), spec.readerPort(), 0, 0, false));
        default -> {
          s.replyTo().tell(new SpawnReply(s.pid(), Errno.EINVAL, "unknown fd kind "
              + spec.kind()));
          return this;
        }
      }
    }
    ProcessImage image = new ProcessImage(s.pid(), s.spec().program(), s.spec().args(),
        s.spec().env(), s.program(), SysResult.START, null, 0, List.of(s.addressSpace()),
        List.of(), 0, 0, System.currentTimeMillis(), null, null, null, null);
    running.put(s.pid(), spawnProcess(image, drivers, sharing, s.replyTo()));
    return this;
  }

  private ActorRef<Process.Command> spawnProcess(ProcessImage image, List<DriverState> drivers,
      Map<Integer, Integer> sharing, ActorRef<SpawnReply> ready) {
    Cpus cpus = Cpus.get(ctx.getSystem());
    return ctx.spawn(Process.create(ctx.getSelf(), image, drivers, sharing, ready),
        "p" + image.pid() + "-" + (++incarnations), cpus.dispatcher(cpus.cpuFor(image.pid())));
  }

  private Behavior<Command> onAdopt(Adopt a) {
    ProcessImage image = a.image();
    ActorRef<Process.Command> ref = adopted.get(image.migration());
    if (ref == null && draining) { // the process resumes on its source
      a.replyTo().tell(Reply.error(Errno.EAGAIN));
      return this;
    }
    if (ref == null) {
      ref = spawnProcess(image, List.of(), Map.of(), null);
      adopted.put(image.migration(), ref);
      running.put(image.pid(), ref);
      exited.remove(image.pid());
      while (adopted.size() > settings.maxMigrations()) {
        adopted.remove(adopted.keySet().iterator().next());
      }
    }
    a.replyTo().tell(Reply.ok(ref));
    return this;
  }

  private Behavior<Command> onExited(Exited e) {
    running.remove(e.pid());
    exited.put(e.pid(), e.info());
    while (exited.size() > settings.maxExited()) {
      exited.remove(exited.keySet().iterator().next());
    }
    return this;
  }
}

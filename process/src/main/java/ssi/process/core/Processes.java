package ssi.process.core;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.PageStores;
import ssi.cluster.node.NodeNames;
import ssi.process.ProcessSettings;
import ssi.process.migration.MigrationResult;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.Programs;

/**
 * The process API of this node (an Akka extension), usable from any node and used by the HTTP
 * routes: spawn (one program or a pipeline, placed on a named node or the least-loaded one),
 * list, find, migrate, kill and drain. Pids and address-space object ids come from the page
 * store's sequence, so they are unique in the cluster and never reused. Every stage completes
 * normally; failures are values ({@link Outcome}, {@link MigrationResult}).
 */
public final class Processes implements Extension {

  private static final Id ID = new Id();
  private static final int DRAIN_BUSY_ROUNDS = 50;

  /** A result or an HTTP-like status with a message for the user. */
  public record Outcome<T>(int status, String error, T value) {
    static <T> Outcome<T> ok(T value) {
      return new Outcome<>(200, null, value);
    }

    static <T> Outcome<T> fail(int status, String error) {
      return new Outcome<>(status, error, null);
    }

    /** Whether it worked. */
    public boolean isOk() {
      return error == null;
    }
  }

  /** A process found somewhere: what it looks like and where to send it messages. */
  public record Found(ProcessInfo info, ActorRef<Process.Command> ref) {
  }

  private final ActorSystem<?> system;
  private final ProcessSettings settings;

  private Processes(ActorSystem<?> system) {
    this.system = system;
    this.settings = ProcessSettings.from(system.settings().config());
    system.systemActorOf(ProcessTable.create(), ProcessTable.PATH.substring("/system/".length()),
        Props.empty());
    ssi.process.migration.Migrations.get(system);
  }

  /** This node's process API (the node starts it at boot, creating its process table). */
  public static Processes get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The settings in force. */
  public ProcessSettings settings() {
    return settings;
  }

  // ---- spawn ----

  /**
   * Spawns {@code stages}: one process, or a pipeline whose stage i's descriptor 1 is piped into
   * stage i+1's descriptor 0. Checked first (programs, arguments, nodes): a bad spec starts
   * nothing. Answers the pids in stage order.
   */
  public CompletionStage<Outcome<List<Long>>> spawn(List<SpawnSpec> stages) {
    if (stages.isEmpty()) {
      return done(Outcome.fail(400, "nothing to spawn"));
    }
    List<Program> programs = new ArrayList<>();
    for (SpawnSpec s : stages) {
      ProgramFactory f = Programs.byName(s.program());
      if (f == null) {
        return done(Outcome.fail(400, "unknown program '" + s.program() + "'; known: "
            + String.join(", ", Programs.names())));
      }
      Program program;
      try {
        program = f.create(s.args(), s.env());
      } catch (IllegalArgumentException e) {
        return done(Outcome.fail(400, s.program() + ": " + e.getMessage() + " (usage: "
            + f.usage() + ")"));
      }
      String unmovable = ProgramState.unmovable(system, program);
      if (unmovable != null) { // it could never migrate, nor be spawned on another node
        return done(Outcome.fail(400, s.program() + ": " + unmovable));
      }
      programs.add(program);
      if (s.node() != null && NodeNames.resolve(system, s.node()).filter(this::up).isEmpty()) {
        return done(Outcome.fail(404, "no such node: " + s.node()));
      }
    }
    return spawnFrom(stages, programs, stages.size() - 1, null, new ArrayList<>());
  }

  private CompletionStage<Outcome<List<Long>>> spawnFrom(List<SpawnSpec> stages,
      List<Program> programs, int i, String[] reader, List<Long> pids) {
    if (i < 0) {
      List<Long> inOrder = new ArrayList<>(pids);
      java.util.Collections.reverse(inOrder);
      return done(Outcome.ok(inOrder));
    }
    SpawnSpec spec = stages.get(i);
    if (reader != null) {
      spec = spec.withFd(1, FdSpec.pipeOut(reader[0], reader[1]));
    }
    if (i > 0) {
      spec = spec.withFd(0, FdSpec.pipeIn());
    }
    SpawnSpec s = spec;
    return placement(s.node()).thenCompose(node -> node == null
        ? done(Outcome.<List<Long>>fail(503, "no node to run on"))
        : spawnOne(node, s, programs.get(i))
            .thenCompose(r -> {
              if (!r.isOk()) { // a pipeline is whole or nothing: end the stages started
                pids.forEach(started -> kill(started, "KILL"));
                return done(Outcome.<List<Long>>fail(r.status(), pids.isEmpty() ? r.error()
                    : r.error() + " (the " + pids.size() + " stage(s) already started were "
                        + "killed)"));
              }
              pids.add(r.value());
              String[] in = {node, Process.portName(r.value(), 0)};
              return spawnFrom(stages, programs, i - 1, in, pids);
            }));
  }

  private CompletionStage<Outcome<Long>> spawnOne(String node, SpawnSpec spec, Program program) {
    return newId().thenCompose(pid -> newId().thenCompose(as -> {
      if (!pid.isOk() || !as.isOk()) {
        return done(Outcome.<Long>fail(503, "the page store cannot allocate ids: "
            + (pid.isOk() ? as.errno() : pid.errno())));
      }
      return AskPattern.<ProcessTable.Command, ProcessTable.SpawnReply>ask(
              ProcessTable.ref(system, node),
              r -> new ProcessTable.Spawn(pid.value(), as.value(), spec, program, r),
              settings.askTimeout(), system.scheduler())
          .thenApply(r -> r.errno() == Errno.OK ? Outcome.ok(r.pid())
              : Outcome.<Long>fail(r.errno() == Errno.EINVAL ? 400 : 503, r.error()))
          .exceptionally(e -> Outcome.fail(504, "node " + Nodes.name(system, node)
              + " did not answer the spawn"));
    }));
  }

  /** A fresh id from the store's sequence (EIO tried again while the store comes back). */
  private CompletionStage<Reply<Long>> newId() {
    var store = PageStores.get(system).store();
    if (store.isEmpty()) {
      return done(Reply.error(Errno.EIO));
    }
    return StoreRetry.retry(system, store.get()::nextObjectId);
  }

  /** The address of the named node, or of the up member running the fewest processes. */
  private CompletionStage<String> placement(String nodeName) {
    if (nodeName != null) {
      return done(NodeNames.resolve(system, nodeName).map(Address::toString).orElse(null));
    }
    return listings().thenApply(ls -> ls.stream().filter(l -> !l.listing().draining())
        .min(Comparator.comparingInt((Located l) -> l.listing().running().size())
            .thenComparing(Located::address))
        .map(Located::address).orElse(null));
  }

  // ---- list and find ----

  private record Located(String address, ProcessTable.Listing listing) {
  }

  private CompletionStage<List<Located>> listings() {
    List<CompletableFuture<Optional<Located>>> asks = new ArrayList<>();
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.status() != MemberStatus.up()) {
        continue;
      }
      String address = m.address().toString();
      asks.add(AskPattern.<ProcessTable.Command, ProcessTable.Listing>ask(
              ProcessTable.ref(system, address), ProcessTable.ListProcesses::new, settings.askTimeout(),
              system.scheduler())
          .thenApply(l -> Optional.of(new Located(address, l)))
          .exceptionally(e -> Optional.empty()).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(v ->
        asks.stream().map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream).toList());
  }

  /** Every process in the cluster (running and recently exited), by pid. */
  public CompletionStage<List<ProcessInfo>> list() {
    return listings().thenCompose(ls -> {
      List<CompletableFuture<Optional<ProcessInfo>>> infos = new ArrayList<>();
      for (Located l : ls) {
        l.listing().exited().forEach(i -> infos.add(CompletableFuture.completedFuture(
            Optional.of(i))));
        l.listing().running().values().forEach(ref -> infos.add(info(ref)));
      }
      return CompletableFuture.allOf(infos.toArray(new CompletableFuture<?>[0])).thenApply(v ->
          merge(infos.stream().map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream).toList()));
    });
  }

  /** One entry per pid: a running view beats a migrating or exited one. */
  private static List<ProcessInfo> merge(List<ProcessInfo> all) {
    Map<Long, ProcessInfo> byPid = new java.util.TreeMap<>();
    for (ProcessInfo i : all) {
      byPid.merge(i.pid(), i, (a, b) -> rank(b) > rank(a) ? b : a);
    }
    return List.copyOf(byPid.values());
  }

  private static int rank(ProcessInfo i) {
    return switch (i.state()) {
      case "moved" -> 0;
      case "exited" -> 1;
      case "migrating" -> 2;
      default -> 3;
    };
  }

  private CompletableFuture<Optional<ProcessInfo>> info(ActorRef<Process.Command> ref) {
    // A process that has just ended does not answer: do not wait the whole ask timeout for it.
    return AskPattern.<Process.Command, ProcessInfo>ask(ref, Process.GetInfo::new,
            settings.askTimeout().dividedBy(4), system.scheduler())
        .thenApply(Optional::of).exceptionally(e -> Optional.empty()).toCompletableFuture();
  }

  /**
   * The process {@code pid} wherever it runs (or where it ended), if any node knows it. A
   * process that ended between the listing and the question is looked up once more (its table
   * then lists it as exited).
   */
  public CompletionStage<Optional<Found>> find(long pid) {
    return findOnce(pid).thenCompose(f -> f.isPresent() ? done(f) : findOnce(pid));
  }

  private CompletionStage<Optional<Found>> findOnce(long pid) {
    return listings().thenCompose(ls -> {
      List<CompletableFuture<Optional<Found>>> found = new ArrayList<>();
      for (Located l : ls) {
        l.listing().exited().stream().filter(i -> i.pid() == pid).forEach(i -> found.add(
            CompletableFuture.completedFuture(Optional.of(new Found(i, null)))));
        ActorRef<Process.Command> ref = l.listing().running().get(pid);
        if (ref != null) {
          found.add(info(ref).thenApply(o -> o.map(i -> new Found(i, ref))));
        }
      }
      return CompletableFuture.allOf(found.toArray(new CompletableFuture<?>[0])).thenApply(v ->
          found.stream().map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream)
              .max(Comparator.comparingInt(f -> rank(f.info()))));
    });
  }

  /**
   * Where the driver of {@code port} (a descriptor's port name, {@code fd:PID:FD}) is now: the
   * address of the live node its process's fd table names, or empty when the process has ended,
   * no longer has that descriptor, or its driver's node is gone. What a pipe end asks when the
   * other end's old address no longer answers ({@link ssi.process.fd.FdDriver.Locator}).
   */
  public CompletionStage<Optional<String>> locateDriver(String port) {
    String[] parts = port.split(":");
    long pid;
    int fd;
    try {
      pid = Long.parseLong(parts[1]);
      fd = Integer.parseInt(parts[2]);
    } catch (RuntimeException e) {
      return done(Optional.empty());
    }
    return find(pid).thenApply(f -> f.filter(x -> x.ref() != null && !x.info().exited())
        .flatMap(x -> x.info().fds().stream().filter(d -> d.fd() == fd).findFirst())
        .flatMap(d -> NodeNames.resolve(system, d.driverNode()))
        .map(Address::toString)
        .filter(a -> Nodes.alive(system, a)));
  }

  // ---- migrate, kill, drain ----

  /** Migrates {@code pid} to the node named {@code nodeName}; completes when the migration does. */
  public CompletionStage<MigrationResult> migrate(long pid, String nodeName) {
    Optional<Address> to = NodeNames.resolve(system, nodeName).filter(this::up);
    if (to.isEmpty()) {
      return done(MigrationResult.failed(404, "no such node: " + nodeName));
    }
    Duration whole = settings.migrateTimeout();
    return find(pid).thenCompose(f -> {
      if (f.isEmpty()) {
        return done(MigrationResult.failed(404, "no such process: " + pid));
      }
      if (f.get().ref() == null || f.get().info().exited()) {
        return done(MigrationResult.failed(409, "process " + pid + " has exited"));
      }
      return AskPattern.<Process.Command, MigrationResult>ask(f.get().ref(),
              r -> new Process.Migrate(to.get().toString(), r), whole, system.scheduler())
          .exceptionally(e -> MigrationResult.failed(504, "migration of " + pid
              + " did not finish within " + whole.toSeconds() + " s"));
    });
  }

  /** Sends {@code signal} (TERM, INT, KILL) to {@code pid}. */
  public CompletionStage<Outcome<String>> kill(long pid, String signal) {
    if (!List.of("TERM", "INT", "KILL").contains(signal)) {
      return done(Outcome.fail(400, "signal must be TERM, INT or KILL, got '" + signal + "'"));
    }
    return find(pid).thenCompose(f -> {
      if (f.isEmpty()) {
        return done(Outcome.<String>fail(404, "no such process: " + pid));
      }
      if (f.get().ref() == null || f.get().info().exited()) {
        return done(Outcome.<String>fail(409, "process " + pid + " has already exited"));
      }
      return AskPattern.<Process.Command, Reply<String>>ask(f.get().ref(),
              r -> new Process.Kill(signal, r), settings.askTimeout(), system.scheduler())
          .thenApply(r -> r.isOk() ? Outcome.ok(r.value())
              : Outcome.<String>fail(409, "process " + pid + " has already exited"))
          .exceptionally(e -> Outcome.fail(504, "process " + pid + " did not answer"));
    });
  }

  /**
   * Drains the node named {@code nodeName}: it stops taking processes (spawns and migrations to
   * it are refused, placement skips it), every process running there migrates to the
   * least-loaded other node (again until none is left: one may arrive or be busy migrating
   * meanwhile), processes elsewhere take back the drivers they left there (a file driver kept
   * by {@code file-driver-stays}), and then the node leaves the cluster, which hands its shards
   * over. Answers the pids moved; a process that cannot move stops the drain and the node takes
   * processes again. Sockets cannot move: they close with their node.
   */
  public CompletionStage<Outcome<List<Long>>> drain(String nodeName) {
    Optional<Address> node = NodeNames.resolve(system, nodeName).filter(this::up);
    if (node.isEmpty()) {
      return done(Outcome.fail(404, "no such node: " + nodeName));
    }
    long others = java.util.stream.StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up() && !m.address().equals(node.get())).count();
    if (others == 0) {
      return done(Outcome.fail(409, "cannot drain " + nodeName + ": it is the last node"));
    }
    String address = node.get().toString();
    return setDraining(address, true)
        .thenCompose(ok -> !ok
            ? done(Outcome.<List<Long>>fail(504, "node " + nodeName + " did not answer"))
            : drainRound(address, new ArrayList<>(), new java.util.HashMap<>()))
        .thenCompose(o -> o.isOk() ? pullDrivers(address).thenApply(v -> o)
            : setDraining(address, false).thenApply(v -> o))
        .thenApply(o -> {
          if (o.isOk()) {
            Cluster.get(system).manager().tell(Leave.create(node.get()));
          }
          return o;
        });
  }

  private CompletionStage<Boolean> setDraining(String address, boolean on) {
    return AskPattern.<ProcessTable.Command, ProcessTable.Listing>ask(
            ProcessTable.ref(system, address), r -> new ProcessTable.SetDraining(on, r),
            settings.askTimeout(), system.scheduler())
        .thenApply(l -> true).exceptionally(e -> false);
  }

  /** One pass over what runs on {@code from}; again until nothing does. */
  private CompletionStage<Outcome<List<Long>>> drainRound(String from, List<Long> moved,
      Map<Long, Integer> busy) {
    return listings().thenCompose(ls -> {
      List<Long> pids = ls.stream().filter(l -> l.address().equals(from))
          .flatMap(l -> l.listing().running().keySet().stream()).sorted().toList();
      if (pids.isEmpty()) {
        return done(Outcome.ok(List.copyOf(moved)));
      }
      return drainEach(from, pids, 0, moved, busy).thenCompose(o -> !o.isOk() ? done(o)
          : drainRound(from, moved, busy));
    });
  }

  private CompletionStage<Outcome<List<Long>>> drainEach(String from, List<Long> pids, int i,
      List<Long> moved, Map<Long, Integer> busy) {
    if (i == pids.size()) {
      return done(Outcome.ok(List.copyOf(moved)));
    }
    long pid = pids.get(i);
    return listings().thenCompose(ls -> {
      Optional<String> target = ls.stream()
          .filter(l -> !l.address().equals(from) && !l.listing().draining())
          .min(Comparator.comparingInt((Located l) -> l.listing().running().size()))
          .map(l -> l.listing().node());
      if (target.isEmpty()) {
        return done(Outcome.<List<Long>>fail(409, "no node left to take process " + pid));
      }
      return migrate(pid, target.get()).thenCompose(r -> {
        if (r.status() == 200) {
          moved.add(pid);
        } else if (r.status() == 409 && r.error().contains("already migrating")) {
          // Another migration of it is under way: the next round sees where it went.
          if (busy.merge(pid, 1, Integer::sum) > DRAIN_BUSY_ROUNDS) {
            return done(Outcome.<List<Long>>fail(409, "drain stopped: process " + pid
                + " stayed busy migrating"));
          }
          return after(Duration.ofMillis(200), () -> drainEach(from, pids, i + 1, moved, busy));
        } else if (r.status() != 409) { // other 409s: it exited or left meanwhile
          return done(Outcome.<List<Long>>fail(r.status(), "drain stopped: process " + pid
              + ": " + r.error()));
        }
        return drainEach(from, pids, i + 1, moved, busy);
      });
    });
  }

  /** Processes elsewhere take back every driver (but sockets) they still have on {@code from}. */
  private CompletionStage<Void> pullDrivers(String from) {
    String name = Nodes.name(system, from);
    return listings().thenCompose(ls -> {
      List<CompletableFuture<?>> pulls = new ArrayList<>();
      for (Located l : ls) {
        if (l.address().equals(from)) {
          continue;
        }
        l.listing().running().values().forEach(ref -> pulls.add(AskPattern
            .<Process.Command, Integer>ask(ref, r -> new Process.PullDrivers(from, r),
                settings.migrateTimeout(), system.scheduler())
            .exceptionally(e -> {
              system.log().warn("drain of {}: a process did not take back its drivers", name);
              return 0;
            }).toCompletableFuture()));
      }
      return CompletableFuture.allOf(pulls.toArray(new CompletableFuture<?>[0]));
    });
  }

  private <T> CompletionStage<T> after(Duration delay,
      java.util.function.Supplier<CompletionStage<T>> next) {
    return akka.pattern.Patterns.after(delay, system.classicSystem().scheduler(),
        system.executionContext(), next::get);
  }

  private boolean up(Address a) {
    return java.util.stream.StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .anyMatch(m -> m.address().equals(a) && m.status() == MemberStatus.up());
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static final class Id extends ExtensionId<Processes> {
    @Override
    public Processes createExtension(ActorSystem<?> system) {
      return new Processes(system);
    }
  }
}

package ssi.process.core;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cluster.mesh.Mesh;
import ssi.process.ProcessSettings;
import ssi.process.fd.DriverState;
import ssi.process.fd.FdDriver;
import ssi.process.fd.FdKind;
import ssi.process.fd.FdOp;
import ssi.process.fd.FdRef;
import ssi.process.fd.FdResult;
import ssi.process.fd.SocketListener;
import ssi.process.fd.Sockets;
import ssi.process.migration.MigrationEvent;
import ssi.process.migration.MigrationProgress;
import ssi.process.migration.MigrationResult;
import ssi.process.migration.Migrations;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * A process: runs its program one step at a time, executing each step's system call against its
 * fd drivers (through their ports, by proxy when a driver is on another node), its memory (the
 * node's coherent page cache) and timers. Between two steps it is at a step boundary, where it
 * can be killed or migrated.
 *
 * <p><b>Migration</b> (DESIGN §10), seen from this actor. On the source: at the next step
 * boundary the process pauses, sends its {@link ProcessImage} to the target node's
 * {@link ProcessTable} and waits; when the target has adopted it, this actor becomes the
 * process's <i>shell</i> on the source — it never runs the program again, writes back the
 * process's modified pages in the background, keeps the fd drivers that have not moved yet (its
 * children) and stops when the last one has gone. If the adoption fails and the target is no
 * longer a member, the process resumes here; while the target is alive the adoption is retried
 * (the table de-duplicates by migration id), so a process never runs on two nodes. On the target:
 * the process runs at once; memory follows on demand through coherence; the fd drivers are moved
 * one at a time ({@link FdDriver}); an operation on an fd that is moving waits in this actor and
 * is sent to the new driver afterwards. If the source dies before its write-back finished, the
 * process ends with "memory lost" rather than run on stale memory.
 */
public final class Process extends AbstractBehavior<Process.Command> {

  /** What a process takes. */
  public interface Command extends SsiMessage {
  }

  /** Migrate to the node at address {@code to}; answered when complete (or refused). */
  public record Migrate(String to, ActorRef<MigrationResult> replyTo) implements Command {
  }

  /**
   * Deliver a signal: TERM, INT or KILL end the process (programs have no handlers), at once when
   * it is sleeping, reading or accepting, else at its next step boundary. ^C typed on its tty
   * arrives as INT.
   */
  public record Kill(String signal, ActorRef<Reply<String>> replyTo) implements Command {
  }

  /** The process as HTTP shows it. */
  public record GetInfo(ActorRef<ProcessInfo> replyTo) implements Command {
  }

  /**
   * Move here every driver (but sockets) still on the node at {@code from}, one at a time, as a
   * migration does — a drain of that node asks it; answered with how many moved.
   */
  public record PullDrivers(String from, ActorRef<Integer> replyTo) implements Command {
  }

  /** From the source's shell: the core pause measured there, and when the migration began. */
  public record CoreMoved(String migration, double pauseMs, long startedAtMillis)
      implements Command {
  }

  /** From the source's shell: its write-back of this process's pages finished. */
  public record SourceWrittenBack(String migration, boolean ok) implements Command {
  }

  private enum Step implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private record SysDone(SysResult result) implements Command, NoSerializationVerificationNeeded {
  }

  private record FdDone(int fd, Syscall call, Reply<FdResult> reply, long bytes)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record Woke(long seq) implements Command, NoSerializationVerificationNeeded {
  }

  private record Opened(Syscall call, Reply<ssi.files.handle.GlobalFileHandle> reply)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record Listened(Syscall call, Reply<Sockets.Bound> reply)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record Accepted(Syscall call, Reply<FdRef> reply)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record Adoption(ProcessImage image, Reply<ActorRef<Command>> reply)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record DriverQuiesced(int fd, DriverState state, Throwable failure)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record WriteBackDone(boolean ok) implements Command, NoSerializationVerificationNeeded {
  }

  private record MemberGone(String address) implements Command, NoSerializationVerificationNeeded {
  }

  private record WriteBackRetry() implements Command, NoSerializationVerificationNeeded {
  }

  private record SourceCheck() implements Command, NoSerializationVerificationNeeded {
  }

  private static final Duration SOURCE_CHECK = Duration.ofMillis(100);
  private static final int MOVE_TRIES = 3;

  /** ^C was typed on this process's tty (its driver is a child of this actor). */
  private enum TtyInterrupt implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** The answer to a signal this process sent itself (from its tty): nothing to do. */
  private enum SignalAnswered implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum State { RUNNING, MIGRATING, SHELL, EXITED }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ProcessSettings settings;
  private final ActorRef<ProcessTable.Command> table;
  private final String self;
  private final long pid;
  private final String programName;
  private final List<String> args;
  private final Map<String, String> env;
  private final ssi.process.program.Program program;
  private final List<Long> regions;
  private final TreeMap<Integer, FdRef> fds = new TreeMap<>();
  private final ActorRef<FdDriver.Interrupt> ttyInterrupts;
  private final ActorRef<Reply<String>> signalAnswers;
  private final long startedAt;
  private SysResult last;
  private Syscall redo;
  private long sleepUntil;
  private long sleepSeq;
  private long steps;
  private int migrations;
  private State state = State.RUNNING;
  private boolean busy;
  private Syscall current;
  private Integer exitStatus;
  private String exitReason;
  private ActorRef<Command> successor;

  // migration, source side
  private Migrate pendingMigrate;
  private String pendingSignal;
  private long pauseStarted;
  private long pauseStartedMillis;
  private String migrationId;
  private ProcessImage outgoing;
  private String pendingTarget;
  private final List<Kill> heldKills = new ArrayList<>();

  // migration, target side
  private String source;
  private boolean sourceWrittenBack = true;
  private ActorRef<Command> shell;
  private ActorRef<MigrationResult> migrateReplyTo;
  private final ArrayDeque<Integer> toMove = new ArrayDeque<>();
  private int movingFd = -1;
  private long moveStarted;
  private Syscall heldForMove;
  private MigrationProgress progress;
  private boolean coreReported;
  private final Map<Integer, long[]> remoteTraffic = new HashMap<>();
  private SysResult heldForSource;
  private final Map<Integer, Integer> moveTries = new HashMap<>();
  private final java.util.Set<Integer> unmoved = new java.util.TreeSet<>();
  private final List<PullDrivers> pulls = new ArrayList<>();
  private int pulled;
  // Where the fd operation in flight went (node and port), and the stubs of drivers that moved
  // meanwhile, told once that operation is answered (it may still reach one of them).
  private String opTarget;
  private final List<String[]> informLater = new ArrayList<>();

  private Process(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ActorRef<ProcessTable.Command> table, ProcessImage image, List<DriverState> newDrivers,
      Map<Integer, Integer> sharing, ActorRef<ProcessTable.SpawnReply> ready) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.settings = ProcessSettings.from(ctx.getSystem().settings().config());
    this.table = table;
    this.self = FdDriver.selfNode(ctx.getSystem());
    this.pid = image.pid();
    this.programName = image.programName();
    this.args = image.args();
    this.env = image.env();
    this.program = image.program();
    this.regions = new ArrayList<>(image.regions());
    this.ttyInterrupts = ctx.messageAdapter(FdDriver.Interrupt.class,
        i -> TtyInterrupt.INSTANCE);
    this.signalAnswers = ctx.<Reply>messageAdapter(Reply.class, r -> SignalAnswered.INSTANCE)
        .<Reply<String>>narrow();
    this.startedAt = image.startedAtMillis();
    this.last = image.last();
    this.redo = image.redo();
    this.sleepUntil = image.sleepUntil();
    this.steps = image.steps();
    this.migrations = image.migrations();
    image.fds().forEach(f -> fds.put(f.fd(), f));
    newDrivers.forEach(s -> fds.put(fdOf(s.port()), startDriver(s, fdOf(s.port()), null)));
    sharing.forEach((fd, same) -> { // e.g. a tty on 0 and 1: one terminal, two descriptors
      FdRef d = fds.get(same);
      fds.put(fd, new FdRef(fd, d.kind(), d.node(), d.port(), d.driver(), d.detail(),
          d.object()));
    });
    if (image.migration() != null) {
      adopted(image);
    }
    if (ready != null) { // the drivers' ports are published: a peer may write to them now
      ready.tell(new ProcessTable.SpawnReply(pid, Errno.OK, null));
    }
    ctx.getSelf().tell(Step.INSTANCE);
  }

  /**
   * A new process (its drivers built from {@code drivers}; descriptor k of {@code sharing} uses
   * the driver of descriptor {@code sharing.get(k)}; {@code ready} is told once the ports are
   * published) or an adopted one.
   */
  static Behavior<Command> create(ActorRef<ProcessTable.Command> table, ProcessImage image,
      List<DriverState> drivers, Map<Integer, Integer> sharing,
      ActorRef<ProcessTable.SpawnReply> ready) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new Process(ctx, t, table, image,
        drivers, sharing, ready)));
  }

  /** The port name of descriptor {@code fd} of process {@code pid}. */
  static String portName(long pid, int fd) {
    return "fd:" + pid + ":" + fd;
  }

  private static int fdOf(String port) {
    return Integer.parseInt(port.substring(port.lastIndexOf(':') + 1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Step.class, s -> onStep())
        .onMessage(SysDone.class, d -> onSysDone(d.result()))
        .onMessage(FdDone.class, this::onFdDone)
        .onMessage(Woke.class, this::onWoke)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Listened.class, this::onListened)
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(Migrate.class, this::onMigrate)
        .onMessage(Adoption.class, this::onAdoption)
        .onMessage(CoreMoved.class, this::onCoreMoved)
        .onMessage(SourceWrittenBack.class, this::onSourceWrittenBack)
        .onMessage(WriteBackDone.class, this::onWriteBackDone)
        .onMessage(SourceCheck.class, c -> onSourceCheck())
        .onMessage(WriteBackRetry.class, r -> {
          writeBack();
          return this;
        })
        .onMessage(DriverQuiesced.class, this::onDriverQuiesced)
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(Kill.class, this::onKill)
        .onMessage(PullDrivers.class, this::onPullDrivers)
        .onMessageEquals(TtyInterrupt.INSTANCE, () -> onKill(new Kill("INT", signalAnswers)))
        .onMessageEquals(SignalAnswered.INSTANCE, () -> this)
        .onMessage(GetInfo.class, g -> {
          g.replyTo().tell(info());
          return this;
        })
        .onSignal(Terminated.class, t -> onChildGone())
        .build();
  }

  // ---- running ----

  private Behavior<Command> onStep() {
    if (state != State.RUNNING || busy) {
      return this;
    }
    if (pendingSignal != null) { // a step boundary: a pending kill or migration happens now
      String sig = pendingSignal;
      pendingSignal = null;
      return exit(128 + signalNumber(sig), "killed by " + sig);
    }
    if (pendingMigrate != null) {
      startMigration();
      return this;
    }
    busy = true;
    Syscall call;
    if (redo != null) {
      call = redo;
      redo = null;
    } else {
      try {
        call = program.step(last);
      } catch (RuntimeException e) {
        ctx.getLog().error("process {} ({}) crashed in a step", pid, programName, e);
        return exit(139, "crashed: " + e);
      }
      steps++;
    }
    current = call;
    return execute(call);
  }

  private Behavior<Command> execute(Syscall call) {
    if (call instanceof Syscall.Read r) {
      return fdOp(r.fd(), new FdOp.Read(Math.max(1, r.max())), call);
    } else if (call instanceof Syscall.Write w) {
      return fdOp(w.fd(), new FdOp.Write(w.data()), call);
    } else if (call instanceof Syscall.Close c) {
      FdRef ref = fds.remove(c.fd());
      if (ref != null && fds.values().stream().noneMatch(f -> f.port().equals(ref.port()))) {
        ref.driver().tell(new FdDriver.Release()); // the last descriptor using that driver
      }
      return done(ref != null ? SysResult.ok(0) : SysResult.error(Errno.EBADF));
    } else if (call instanceof Syscall.Open o) {
      ctx.pipeToSelf(OpenFile.open(ctx.getSystem(), o.path()), (r, e) -> new Opened(call,
          r != null ? r : Reply.error(Errno.EIO)));
      return this;
    } else if (call instanceof Syscall.Listen l) {
      ctx.pipeToSelf(Sockets.get(ctx.getSystem()).listen(l.port()), (r, e) -> new Listened(call,
          r != null ? r : Reply.error(Errno.EIO)));
      return this;
    } else if (call instanceof Syscall.Accept a) {
      return accept(a);
    } else if (call instanceof Syscall.Mmap m) {
      ctx.pipeToSelf(OpenFile.open(ctx.getSystem(), m.path()), (r, e) -> new Opened(call,
          r != null ? r : Reply.error(Errno.EIO)));
      return this;
    } else if (call instanceof Syscall.MemRead m) {
      if (m.region() < 0 || m.region() >= regions.size() || m.offset() < 0 || m.len() < 0) {
        return done(SysResult.error(Errno.EINVAL));
      }
      pipeMemory(PageCache.get(ctx.getSystem()).read(regions.get(m.region()), m.offset(),
          m.len()), r -> r.isOk() ? SysResult.data(r.value()) : SysResult.error(r.errno()));
      return this;
    } else if (call instanceof Syscall.MemWrite m) {
      if (m.region() < 0 || m.region() >= regions.size() || m.offset() < 0) {
        return done(SysResult.error(Errno.EINVAL));
      }
      pipeMemory(PageCache.get(ctx.getSystem()).write(regions.get(m.region()), m.offset(),
          m.data()), r -> r.isOk() ? SysResult.ok(m.data().length) : SysResult.error(r.errno()));
      return this;
    } else if (call instanceof Syscall.Sleep s) {
      if (sleepUntil == 0) {
        sleepUntil = System.currentTimeMillis() + Math.max(0, s.millis());
      }
      long left = Math.max(0, sleepUntil - System.currentTimeMillis());
      timers.startSingleTimer("sleep", new Woke(++sleepSeq), Duration.ofMillis(left));
      return this;
    } else if (call instanceof Syscall.Spawn sp) {
      return spawnChild(sp);
    } else if (call instanceof Syscall.Exit x) {
      return exit(x.status(), "exited");
    }
    return done(SysResult.error(Errno.EINVAL));
  }

  private Behavior<Command> spawnChild(Syscall.Spawn sp) {
    Map<Integer, FdSpec> wiring = new TreeMap<>();
    sp.files().forEach((fd, path) -> wiring.put(fd, FdSpec.file(path, true)));
    SpawnSpec spec = new SpawnSpec(sp.program(), sp.args(), env, sp.node(), wiring);
    ctx.pipeToSelf(Processes.get(ctx.getSystem()).spawn(List.of(spec)), (o, e) -> new SysDone(
        o == null ? SysResult.error(Errno.EIO)
            : o.isOk() ? SysResult.ok(o.value().get(0))
            : SysResult.error(switch (o.status()) {
              case 400 -> o.error().startsWith("unknown program") ? Errno.ENOENT : Errno.EINVAL;
              case 404 -> Errno.EHOSTDOWN;
              case 503 -> Errno.EAGAIN;
              default -> Errno.EIO;
            })));
    return this;
  }

  private <T> void pipeMemory(CompletionStage<Reply<T>> op,
      java.util.function.Function<Reply<T>, SysResult> map) {
    ctx.pipeToSelf(op, (r, e) -> new SysDone(r != null ? map.apply(r) : SysResult.error(Errno.EIO)));
  }

  private Behavior<Command> fdOp(int fd, FdOp op, Syscall call) {
    FdRef ref = fds.get(fd);
    if (ref == null) {
      return done(SysResult.error(Errno.EBADF));
    }
    if (fd == movingFd) {
      heldForMove = call; // sent to the driver once it has moved
      return this;
    }
    long bytes = op instanceof FdOp.Write w ? w.data().length : 0;
    opTarget = ref.node() + " " + ref.port();
    var port = Mesh.get(ctx.getSystem()).<FdOp, FdResult>proxy(Nodes.address(ref.node()),
        ref.port());
    ctx.pipeToSelf(Lwkt.domsg(port, Msg.of(op)), (r, e) -> new FdDone(fd, call,
        r != null ? r : Reply.error(Errno.EIO), bytes));
    return this;
  }

  private Behavior<Command> onFdDone(FdDone d) {
    opTarget = null;
    informStubs();
    if (state == State.EXITED || !busy || current != d.call()) {
      return this;
    }
    FdRef ref = fds.get(d.fd());
    if (ref != null && !ref.node().equals(self)) {
      long[] t = remoteTraffic.computeIfAbsent(d.fd(), k -> new long[2]);
      t[0]++;
      t[1] += d.bytes() + (d.reply().isOk() ? d.reply().value().data().length : 0);
    }
    Reply<FdResult> r = d.reply();
    if (r.isOk() && r.value().movedTo() != null && ref != null) {
      fds.put(d.fd(), ref.at(r.value().movedTo(), ref.driver()));
      return execute(d.call());
    }
    if (r.errno() == Errno.EAGAIN) {
      // Nothing happened; ask again — after a kill or a migration if one is waiting.
      busy = false;
      redo = d.call();
      ctx.getSelf().tell(Step.INSTANCE);
      return this;
    }
    if (!r.isOk()) {
      return done(SysResult.error(r.errno() == Errno.EHOSTDOWN ? Errno.EIO : r.errno()));
    }
    FdResult v = r.value();
    return done(v.eof() ? SysResult.endOfFile()
        : d.call() instanceof Syscall.Read ? SysResult.data(v.data()) : SysResult.ok(v.value()));
  }

  private Behavior<Command> onWoke(Woke w) {
    if (w.seq() != sleepSeq || state != State.RUNNING) {
      return this;
    }
    sleepUntil = 0;
    return done(SysResult.ok(0));
  }

  private Behavior<Command> onOpened(Opened o) {
    if (state == State.EXITED) {
      return this;
    }
    if (!o.reply().isOk()) {
      return done(SysResult.error(o.reply().errno()));
    }
    if (o.call() instanceof Syscall.Mmap) {
      regions.add(o.reply().value().objectId());
      return done(SysResult.ok(regions.size() - 1));
    }
    Syscall.Open open = (Syscall.Open) o.call();
    int fd = 0;
    while (fds.containsKey(fd)) {
      fd++;
    }
    DriverState.File st = new DriverState.File(portName(pid, fd), o.reply().value(), open.path(),
        0, open.append());
    fds.put(fd, startDriver(st, fd, null));
    return done(SysResult.ok(fd));
  }

  // ---- sockets (they stay on the node that opened them: see adopted()) ----

  private Behavior<Command> onListened(Listened l) {
    if (state == State.EXITED) {
      return this;
    }
    if (!l.reply().isOk()) {
      return done(SysResult.error(l.reply().errno()));
    }
    int fd = lowestFreeFd();
    Sockets.Bound b = l.reply().value();
    fds.put(fd, startDriver(new DriverState.Socket(portName(pid, fd), b.channel(),
        "listen " + b.address(), true), fd, null));
    return done(SysResult.ok(fd));
  }

  /** Like a pipe read: the listener answers EAGAIN after block-poll and the call is redone. */
  private Behavior<Command> accept(Syscall.Accept a) {
    FdRef listener = fds.get(a.fd());
    if (listener == null || listener.kind() != FdKind.SOCKET) {
      return done(SysResult.error(listener == null ? Errno.EBADF : Errno.EINVAL));
    }
    int fd = lowestFreeFd();
    ctx.pipeToSelf(SocketListener.accept(ctx.getSystem(), listener.driver(), fd,
        portName(pid, fd), settings.askTimeout()), (r, e) -> new Accepted(a,
        r != null ? r : Reply.error(Errno.EIO)));
    return this;
  }

  private Behavior<Command> onAccepted(Accepted a) {
    if (state == State.EXITED || !busy || current != a.call()) {
      if (a.reply().isOk()) {
        a.reply().value().driver().tell(new FdDriver.Release()); // nobody will use it
      }
      return this;
    }
    FdRef listener = fds.get(((Syscall.Accept) a.call()).fd());
    if (listener != null && !listener.node().equals(self)) { // residual traffic, as for fdOp
      remoteTraffic.computeIfAbsent(listener.fd(), k -> new long[2])[0]++;
    }
    if (a.reply().errno() == Errno.EAGAIN) {
      busy = false;
      redo = a.call();
      ctx.getSelf().tell(Step.INSTANCE);
      return this;
    }
    if (!a.reply().isOk()) {
      return done(SysResult.error(a.reply().errno()));
    }
    FdRef conn = a.reply().value();
    ctx.watch(conn.driver());
    fds.put(conn.fd(), conn);
    return done(SysResult.ok(conn.fd()));
  }

  private int lowestFreeFd() {
    int fd = 0;
    while (fds.containsKey(fd)) {
      fd++;
    }
    return fd;
  }

  private Behavior<Command> onSysDone(SysResult result) {
    if (state == State.EXITED || !busy) {
      return this;
    }
    if (current instanceof Syscall.MemRead || current instanceof Syscall.MemWrite) {
      return afterMemory(result);
    }
    return done(result);
  }

  /**
   * A memory access while the source has not yet written back this process's pages: its result
   * is used only if the source is still a reachable member. A source that is down or removed may
   * have taken pages with it — the page may have come from the store, stale: memory lost. One
   * that is unreachable is waited for (the result held) until it is reachable again, writes back,
   * or is removed. This is what makes the decision safe against this node's view lagging: the
   * coherence directory serves a dead holder's pages from the store only once the holder is
   * removed, which takes it unreachable first, then downed with every member having seen that,
   * so this node sees it unreachable or down before any stale page can reach it.
   */
  private Behavior<Command> afterMemory(SysResult result) {
    SourceGate gate = SourceGate.of(sourceWrittenBack || source == null,
        source == null || Nodes.alive(ctx.getSystem(), source),
        source != null && Nodes.unreachable(ctx.getSystem(), source));
    if (gate == SourceGate.LOST) {
      return memoryLost();
    }
    if (gate == SourceGate.HOLD) {
      if (heldForSource == null) {
        ctx.getLog().warn("process {}: node {} (its pages not yet written back) is unreachable;"
            + " the process waits for it", pid, Nodes.name(ctx.getSystem(), source));
      }
      heldForSource = result;
      timers.startSingleTimer("source-check", new SourceCheck(), SOURCE_CHECK);
      return this;
    }
    heldForSource = null;
    return done(result);
  }

  private Behavior<Command> onSourceCheck() {
    if (heldForSource == null || state != State.RUNNING || !busy) {
      return this;
    }
    return afterMemory(heldForSource);
  }

  private Behavior<Command> done(SysResult result) {
    busy = false;
    current = null;
    last = result;
    ctx.getSelf().tell(Step.INSTANCE);
    return this;
  }

  /** Starts the driver of {@code st}; {@code movedFrom}: the node its state came from, if any. */
  private FdRef startDriver(DriverState st, int fd, String movedFrom) {
    ActorRef<FdDriver.Command> ref = FdDriver.spawn(ctx, st, settings, ttyInterrupts,
        Processes.get(ctx.getSystem())::locateDriver, movedFrom);
    ctx.watch(ref);
    String detail = st instanceof DriverState.File f ? f.path()
        : st instanceof DriverState.PipeRead p ? "pipe " + p.pipe()
        : st instanceof DriverState.PipeWrite w ? "pipe " + w.pipe()
        : st instanceof DriverState.Socket s ? s.detail() : "tty";
    long object = st instanceof DriverState.File f ? f.handle().objectId() : -1;
    return new FdRef(fd, st.kind(), self, st.port(), ref, detail, object);
  }

  // ---- signals and exit ----

  private Behavior<Command> onKill(Kill k) {
    if (state == State.SHELL && successor != null) {
      successor.tell(k);
      return this;
    }
    if (state == State.EXITED) {
      k.replyTo().tell(Reply.error(Errno.EINVAL)); // already exited
      return this;
    }
    if (state == State.MIGRATING) {
      heldKills.add(k); // for whichever node runs the process once the hand-off is decided
      return this;
    }
    String sig = k.signal() == null ? "TERM" : k.signal();
    k.replyTo().tell(Reply.ok(sig));
    if ("KILL".equals(sig) || !busy || current instanceof Syscall.Sleep
        || current instanceof Syscall.Read || current instanceof Syscall.Accept
        || heldForSource != null) {
      return exit(128 + signalNumber(sig), "killed by " + sig);
    }
    pendingSignal = sig;
    return this;
  }

  private static int signalNumber(String sig) {
    return switch (sig) {
      case "INT" -> 2;
      case "KILL" -> 9;
      default -> 15;
    };
  }

  private Behavior<Command> memoryLost() {
    String why = "memory lost: node " + Nodes.name(ctx.getSystem(), source)
        + " died before writing back this process's pages";
    if (progress != null) {
      progress.event("memory lost", 0, "memory-lost");
    }
    replyMigration(MigrationResult.failed(503, why));
    return exit(137, why);
  }

  private Behavior<Command> exit(int status, String reason) {
    if (state == State.EXITED) {
      return this;
    }
    if (pendingMigrate != null) {
      pendingMigrate.replyTo().tell(MigrationResult.failed(409, "process " + pid + " exited"));
      pendingMigrate = null;
    }
    if (migrateReplyTo != null && progress != null) { // every outcome is an event (§10)
      progress.event("process " + reason, 0, "exited");
    }
    replyMigration(MigrationResult.failed(409, "process " + pid + " exited during migration"));
    state = State.EXITED;
    exitStatus = status;
    exitReason = reason;
    busy = false;
    timers.cancelAll();
    informStubs();
    fds.values().stream().map(FdRef::driver).distinct()
        .forEach(d -> d.tell(new FdDriver.Release()));
    ctx.getLog().info("process {} ({}) {} with status {}", pid, programName, reason, status);
    table.tell(new ProcessTable.Exited(pid, info()));
    return stopWhenChildless();
  }

  private Behavior<Command> onChildGone() {
    return state == State.EXITED || state == State.SHELL ? stopWhenChildless() : this;
  }

  private Behavior<Command> stopWhenChildless() {
    if (ctx.getChildren().iterator().hasNext()) {
      return this;
    }
    if (state == State.SHELL && outgoing != null) {
      return this; // the write-back is still running
    }
    return Behaviors.stopped();
  }

  // ---- migration, source side ----

  private Behavior<Command> onMigrate(Migrate m) {
    if (state == State.SHELL && successor != null) {
      successor.tell(m);
      return this;
    }
    if (state == State.EXITED) {
      m.replyTo().tell(MigrationResult.failed(409, "process " + pid + " has exited"));
    } else if (m.to().equals(self)) {
      m.replyTo().tell(MigrationResult.failed(409, "process " + pid + " already runs on "
          + Nodes.name(ctx.getSystem(), self)));
    } else if (state == State.MIGRATING || pendingMigrate != null || migrateReplyTo != null) {
      m.replyTo().tell(MigrationResult.failed(409, "process " + pid + " is already migrating"));
    } else if (!Nodes.alive(ctx.getSystem(), m.to())) {
      m.replyTo().tell(MigrationResult.failed(404, "no such node: " + m.to()));
    } else {
      pendingMigrate = m;
      if (busy && current instanceof Syscall.Sleep) {
        busy = false; // the sleep goes on on the target, until the same deadline
        redo = current;
        current = null;
        timers.cancel("sleep");
      }
      if (!busy) {
        startMigration();
      }
    }
    return this;
  }

  private void startMigration() {
    Migrate m = pendingMigrate;
    pendingMigrate = null;
    pendingTarget = m.to();
    state = State.MIGRATING;
    pauseStarted = System.nanoTime();
    pauseStartedMillis = System.currentTimeMillis();
    String id = "m-" + pid + "-" + (migrations + 1) + "-" + Long.toHexString(System.nanoTime());
    outgoing = new ProcessImage(pid, programName, args, env, program, last, redo, sleepUntil,
        regions, List.copyOf(fds.values()), steps, migrations + 1, startedAt, id, self,
        ctx.getSelf(), m.replyTo());
    String unmovable = ProgramState.unmovable(ctx.getSystem(), program);
    if (unmovable != null) { // it would never reach the target: refuse, keep running here
      m.replyTo().tell(MigrationResult.failed(422, "process " + pid + " cannot migrate: "
          + unmovable));
      outgoing = null;
      pendingTarget = null;
      state = State.RUNNING;
      ctx.getSelf().tell(Step.INSTANCE);
      return;
    }
    migrationId = id;
    publishFor(outgoing, m.to(), null, 0, "in-progress");
    askAdopt();
  }

  private void askAdopt() {
    ProcessImage image = outgoing;
    ctx.pipeToSelf(ProcessTable.adopt(ctx.getSystem(), pendingTarget, image,
            settings.askTimeout()),
        (r, e) -> new Adoption(image, r != null ? r : Reply.error(Errno.ETIMEDOUT)));
  }

  private Behavior<Command> onAdoption(Adoption a) {
    if (state != State.MIGRATING || a.image() != outgoing) {
      return this;
    }
    String to = pendingTarget;
    if (a.reply().isOk()) {
      double pauseMs = (System.nanoTime() - pauseStarted) / 1e6;
      successor = a.reply().value();
      state = State.SHELL;
      successor.tell(new CoreMoved(migrationId, pauseMs, pauseStartedMillis));
      heldKills.forEach(successor::tell);
      heldKills.clear();
      table.tell(new ProcessTable.MovedAway(pid));
      ctx.getLog().info("process {} moved to {} (core pause {} ms)", pid, to, pauseMs);
      writeBack();
      return this;
    }
    if (Nodes.alive(ctx.getSystem(), to) && a.reply().errno() == Errno.ETIMEDOUT) {
      askAdopt(); // the target may have adopted it: ask again (de-duplicated), never run twice
      return this;
    }
    // The target refused or is gone before the hand-off: the process resumes here.
    String why = "migration to " + Nodes.name(ctx.getSystem(), to) + " failed ("
        + (a.reply().errno() == Errno.EAGAIN ? "the node is being drained"
            : a.reply().errno().toString()) + "): process " + pid + " resumed on "
        + Nodes.selfName(ctx.getSystem());
    publishFor(outgoing, to, "resumed on source", (System.nanoTime() - pauseStarted) / 1e6,
        "resumed-on-source");
    outgoing.replyTo().tell(MigrationResult.failed(503, why));
    outgoing = null;
    state = State.RUNNING;
    heldKills.forEach(ctx.getSelf()::tell);
    heldKills.clear();
    ctx.getSelf().tell(Step.INSTANCE);
    return this;
  }

  /**
   * DESIGN §10 step 4: writes back every page of the process's memory this node holds modified,
   * so the process no longer depends on this node for it.
   */
  private void writeBack() {
    CompletionStage<Boolean> all = java.util.concurrent.CompletableFuture.completedFuture(true);
    for (long obj : regions) {
      all = all.thenCombine(PageCache.get(ctx.getSystem()).fsync(obj), (ok, r) -> ok && r.isOk());
    }
    ctx.pipeToSelf(all, (ok, e) -> new WriteBackDone(ok != null && ok));
  }

  private Behavior<Command> onWriteBackDone(WriteBackDone w) {
    if (!w.ok()) {
      // The store is unreachable: the pages stay here, and so does the residual; try again.
      ctx.getLog().warn("process {}: write-back of its pages failed; retrying", pid);
      timers.startSingleTimer("write-back", new WriteBackRetry(), settings.blockPoll()
          .multipliedBy(5));
      return this;
    }
    if (successor != null) {
      successor.tell(new SourceWrittenBack(migrationId, true));
    }
    outgoing = null;
    return stopWhenChildless();
  }

  // ---- migration, target side ----

  private void adopted(ProcessImage image) {
    source = image.source();
    shell = image.shell();
    migrateReplyTo = image.replyTo();
    migrationId = image.migration();
    sourceWrittenBack = false;
    unmoved.clear();
    moveTries.clear();
    progress = new MigrationProgress(Migrations.get(ctx.getSystem()), migrationId, pid,
        programName, Nodes.name(ctx.getSystem(), source), Nodes.selfName(ctx.getSystem()));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
            e -> new MemberGone(e.member().address().toString())),
        ClusterEvent.MemberRemoved.class));
    for (FdRef f : fds.values()) {
      // A socket never moves: it stays a residual dependency, reached through its proxy port.
      boolean stays = f.kind() == FdKind.FILE && settings.fileDriverStays()
          || f.kind() == FdKind.SOCKET;
      if (!f.node().equals(self) && !stays) {
        toMove.add(f.fd());
      }
    }
    moveNext();
  }

  private void moveNext() {
    if (movingFd >= 0) {
      return;
    }
    while (!toMove.isEmpty()) {
      int fd = toMove.poll();
      FdRef ref = fds.get(fd);
      if (ref == null || ref.node().equals(self)) {
        continue;
      }
      movingFd = fd;
      moveStarted = System.nanoTime();
      if (!pulls.isEmpty()) {
        pulled++;
      }
      ctx.ask(FdDriver.Quiesced.class, ref.driver(), settings.askTimeout(),
          FdDriver.Quiesce::new,
          (q, e) -> new DriverQuiesced(fd, q != null ? q.state() : null, e));
      return;
    }
    pulls.forEach(p -> p.replyTo().tell(pulled));
    pulls.clear();
    pulled = 0;
    maybeComplete();
  }

  private Behavior<Command> onPullDrivers(PullDrivers p) {
    if (state == State.SHELL && successor != null) {
      successor.tell(p);
      return this;
    }
    if (state == State.EXITED) {
      p.replyTo().tell(0);
      return this;
    }
    for (FdRef f : fds.values()) {
      if (f.node().equals(p.from()) && f.kind() != FdKind.SOCKET && f.fd() != movingFd
          && !toMove.contains(f.fd())) {
        toMove.add(f.fd());
      }
    }
    pulls.add(p);
    moveNext();
    return this;
  }

  private Behavior<Command> onDriverQuiesced(DriverQuiesced q) {
    int fd = q.fd();
    FdRef old = fds.get(fd);
    movingFd = -1;
    if (state == State.EXITED || old == null) {
      return this;
    }
    double pause = (System.nanoTime() - moveStarted) / 1e6;
    String piece = "fd " + fd + " (" + old.kind().label() + ")";
    if (progress == null || migrateReplyTo == null && pulls.size() > 0) {
      // Not part of a migration: a drain took the driver back. Logged, not a migration piece.
      ctx.getLog().info("process {}: {} {} from {} ({} ms)", pid, piece,
          q.state() == null ? "could not move: " + q.failure() : "moved here",
          Nodes.name(ctx.getSystem(), old.node()), pause);
    }
    if (q.state() == null) {
      // The quiesce timed out: the driver stays where it is and serves again; what it held
      // fails EIO rather than wait for a timeout (FdDriver).
      old.driver().tell(new FdDriver.Resume());
      if (progress != null && migrateReplyTo != null) {
        progress.piece(piece + " failed: " + q.failure(), pause);
      }
      int tries = moveTries.merge(fd, 1, Integer::sum);
      if (tries < MOVE_TRIES && Nodes.alive(ctx.getSystem(), old.node())) {
        toMove.add(fd); // its driver may only have been slow: try again after the others
      } else {
        unmoved.add(fd); // it stays where it is: a residual dependency nobody chose
      }
    } else {
      moveTries.remove(fd);
      unmoved.remove(fd);
      FdRef moved = startDriver(q.state(), fd, old.node());
      old.driver().tell(new FdDriver.MovedTo(self, moved.driver()));
      // The stub on the old node may stop once this process will not use the old address: at
      // once, or when the operation on its way there is answered.
      informLater.add(new String[] {old.node(), old.port()});
      if (!(old.node() + " " + old.port()).equals(opTarget)) {
        informStubs();
      }
      for (FdRef f : List.copyOf(fds.values())) { // every descriptor sharing that driver
        if (f.port().equals(old.port())) {
          fds.put(f.fd(), moved.fd() == f.fd() ? moved : new FdRef(f.fd(), moved.kind(),
              moved.node(), moved.port(), moved.driver(), moved.detail(), moved.object()));
        }
      }
      remoteTraffic.remove(fd);
      if (progress != null && migrateReplyTo != null) {
        progress.piece(piece, pause);
      }
    }
    if (heldForMove != null) {
      Syscall held = heldForMove;
      heldForMove = null;
      execute(held);
    }
    moveNext();
    return this;
  }

  private Behavior<Command> onCoreMoved(CoreMoved c) {
    if (!c.migration().equals(migrationId)) {
      return this;
    }
    coreReported = true;
    progress.core(c.pauseMs(), c.startedAtMillis());
    maybeComplete();
    return this;
  }

  /** Tells the stubs of drivers that moved that this process knows where they went. */
  private void informStubs() {
    for (String[] stub : informLater) {
      Lwkt.domsg(Mesh.get(ctx.getSystem()).<FdOp, FdResult>proxy(Nodes.address(stub[0]),
          stub[1]), Msg.of(new FdOp.Informed(FdOp.Informed.PROCESS)));
    }
    informLater.clear();
  }

  private void maybeComplete() {
    // Complete when only deliberate residuals remain (DESIGN §10 step 5): the core and every
    // moving driver are here, and the source has written back this process's pages.
    if (migrateReplyTo == null || movingFd >= 0 || !toMove.isEmpty() || !coreReported
        || !sourceWrittenBack) {
      return;
    }
    if (!unmoved.isEmpty()) {
      String why = "process " + pid + " runs on " + Nodes.selfName(ctx.getSystem())
          + " but descriptor(s) " + unmoved + " could not move from "
          + Nodes.name(ctx.getSystem(), source) + " and are reached there";
      replyMigration(new MigrationResult(500, why, progress.incomplete(why)));
      unmoved.clear();
      return;
    }
    replyMigration(MigrationResult.done(progress.complete()));
  }

  private void replyMigration(MigrationResult result) {
    if (migrateReplyTo != null) {
      migrateReplyTo.tell(result);
      migrateReplyTo = null;
    }
  }

  private Behavior<Command> onSourceWrittenBack(SourceWrittenBack w) {
    if (w.migration().equals(migrationId)) {
      sourceWrittenBack = true;
      if (progress != null) {
        progress.piece("source pages written back", 0);
      }
      maybeComplete();
      if (heldForSource != null && state == State.RUNNING && busy) {
        SysResult held = heldForSource;
        heldForSource = null;
        timers.cancel("source-check");
        return done(held);
      }
    }
    return this;
  }

  private Behavior<Command> onMemberGone(MemberGone g) {
    if (g.address().equals(source) && !sourceWrittenBack && state == State.RUNNING) {
      return memoryLost();
    }
    return this;
  }

  // ---- events and info ----

  private void publishFor(ProcessImage image, String to, String piece, double pauseMs,
      String st) {
    Migrations.get(ctx.getSystem()).publish(new MigrationEvent(image.migration(), pid,
        programName, Nodes.selfName(ctx.getSystem()), Nodes.name(ctx.getSystem(), to), piece,
        pauseMs, System.currentTimeMillis(), st));
  }

  private ProcessInfo info() {
    List<ProcessInfo.Fd> fdList = new ArrayList<>();
    List<ProcessInfo.Residual> residual = new ArrayList<>();
    for (FdRef f : fds.values()) {
      String node = Nodes.name(ctx.getSystem(), f.node());
      boolean local = f.node().equals(self);
      fdList.add(new ProcessInfo.Fd(f.fd(), f.kind().label(), node, local, f.detail(),
          f.object(), f.driver()));
      if (!local) {
        long[] t = remoteTraffic.getOrDefault(f.fd(), new long[2]);
        residual.add(new ProcessInfo.Residual(f.kind() == FdKind.SOCKET ? "socket" : "fd",
            "fd " + f.fd() + " (" + f.kind().label()
            + ") on " + node, node, t[0], t[1]));
      }
    }
    if (!sourceWrittenBack && source != null) {
      String node = Nodes.name(ctx.getSystem(), source);
      residual.add(new ProcessInfo.Residual("pages", "modified pages not yet written back by "
          + node, node, 0, 0));
    }
    String st = switch (state) {
      case EXITED -> "exited";
      case MIGRATING -> "migrating";
      case SHELL -> "moved";
      default -> heldForSource != null ? "waiting"
          : current instanceof Syscall.Sleep ? "sleeping"
          : current instanceof Syscall.Read || current instanceof Syscall.Write
              || current instanceof Syscall.Accept ? "waiting"
          : "running";
    };
    return new ProcessInfo(pid, programName, args, Nodes.selfName(ctx.getSystem()), st,
        exitStatus, exitReason, steps, migrations, startedAt, regions, fdList, residual);
  }
}

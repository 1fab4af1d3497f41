package ssi.actors.cpu;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.AskPattern;
import akka.dispatch.DispatcherConfigurator;
import akka.dispatch.Dispatchers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.ActorsSettings;
import ssi.actors.cpu.CpuState.Counter;

/**
 * The node's CPUs (an Akka extension): {@code ssi.cpus} {@link Cpu} actors, each alone on its
 * single-thread dispatcher {@code ssi-cpu-N}, and the IPI machinery between them.
 *
 * <p>Design: CPU {@code s} sends to CPU {@code t} through a lock-free single-producer
 * single-consumer FIFO reserved for the pair, so order is kept per (source, target). An active IPI
 * wakes the target with one actor message unless a wake-up is already due; a passive one does not
 * wake it at all, and runs at the target's next drain or tick — one wake-up for many ops. A sender
 * that finds the FIFO more than half full first drains its own incoming IPIs, and one that finds it
 * full parks the op (and every later op for that target, to keep order) in its own backlog,
 * flushed as room appears; nobody ever blocks, so two CPUs flooding each other cannot deadlock.
 * Sending to oneself is a direct call. A thread that is not a CPU has no FIFO; its ops are told to
 * the CPU actor and run in mailbox order.
 *
 * <pre>{@code
 * Cpus cpus = Cpus.get(system);
 * cpus.ipi(cpus.cpuFor(key), cpu -> cpu.local(MyCache.class, MyCache::new).put(key, value));
 * }</pre>
 */
public final class Cpus implements Extension {

  private static final Logger LOG = LoggerFactory.getLogger(Cpus.class);
  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final ActorsSettings settings;
  private final int count;
  private final CpuState[] states;
  private final IpiFifo[][] fifos; // [source][target]
  private final AtomicIntegerArray wakePending;
  private final AtomicIntegerArray backlogged; // [source * count + target]: source has a backlog
  private final List<ActorRef<Cpu.Command>> refs = new ArrayList<>();

  private Cpus(ActorSystem<?> system) {
    this.system = system;
    this.settings = ActorsSettings.from(system.settings().config());
    this.count = settings.cpus();
    this.states = new CpuState[count];
    this.fifos = new IpiFifo[count][count];
    this.wakePending = new AtomicIntegerArray(count);
    this.backlogged = new AtomicIntegerArray(count * count);
    for (int s = 0; s < count; s++) {
      for (int t = 0; t < count; t++) {
        fifos[s][t] = s == t ? null : new IpiFifo(settings.ipiFifoSize());
      }
    }
    for (int i = 0; i < count; i++) {
      String dispatcher = registerDispatcher(i);
      states[i] = new CpuState(i, count, system, system.name() + "-" + dispatcher + "-");
    }
    // Everything above is built before the first actor starts (spawning publishes it).
    for (int i = 0; i < count; i++) {
      refs.add(system.systemActorOf(Cpu.create(states[i], this, settings.ipiTick()),
          "ssi-cpu-" + i, dispatcher(i)));
    }
  }

  /** This node's CPUs, started on first use. */
  public static Cpus get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The dispatcher id of CPU {@code cpu}: {@code ssi-cpu-N}. */
  public static String dispatcherId(int cpu) {
    return "ssi-cpu-" + cpu;
  }

  /** How many CPUs this node has. */
  public int count() {
    return count;
  }

  /** The selector that puts an actor on CPU {@code cpu}'s thread. */
  public DispatcherSelector dispatcher(int cpu) {
    Objects.checkIndex(cpu, count);
    return DispatcherSelector.fromConfig(dispatcherId(cpu));
  }

  /** The CPU actor {@code cpu}. */
  public ActorRef<Cpu.Command> ref(int cpu) {
    return refs.get(cpu);
  }

  /** The CPU whose thread is calling, or -1 for any other thread. */
  public int currentCpu() {
    CpuState me = mine();
    return me == null ? -1 : me.id();
  }

  /** The CPU that owns work for {@code key} (stable hash over the CPUs). */
  public int cpuFor(Object key) {
    int h = key.hashCode();
    return Math.floorMod(h ^ (h >>> 16), count);
  }

  /** Urgent IPI: runs {@code op} on CPU {@code target}, waking it if needed. */
  public void ipi(int target, Ipi op) {
    send(target, op, false);
  }

  /** Passive IPI: runs {@code op} on CPU {@code target} at its next drain or tick, no wake-up. */
  public void ipiPassive(int target, Ipi op) {
    send(target, op, true);
  }

  /** Every CPU's counters. */
  public CompletionStage<List<CpuStats>> stats() {
    List<CompletableFuture<CpuStats>> asks = new ArrayList<>();
    for (ActorRef<Cpu.Command> ref : refs) {
      asks.add(AskPattern.<Cpu.Command, CpuStats>ask(ref, Cpu.GetStats::new,
          settings.statsTimeout(), system.scheduler()).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> asks.stream().map(CompletableFuture::join).toList());
  }

  // ---- the IPI machinery ----

  private CpuState mine() {
    CpuState me = CpuState.current();
    if (me != null) {
      return me.id() < count && states[me.id()] == me ? me : null;
    }
    // A CPU thread whose CPU actor has not run yet (an actor on its dispatcher ran first).
    Thread t = Thread.currentThread();
    for (CpuState s : states) {
      if (s.isOwnThread(t)) {
        return s;
      }
    }
    return null;
  }

  private void send(int target, Ipi op, boolean passive) {
    Objects.checkIndex(target, count);
    Objects.requireNonNull(op, "op");
    CpuState me = mine();
    if (me == null) {
      refs.get(target).tell(new Cpu.Run(op));
      return;
    }
    if (me.id() == target) {
      me.add(Counter.DIRECT_CALLS, 1);
      me.add(Counter.OPS_RUN, 1);
      run(me, op);
      return;
    }
    me.add(Counter.IPIS_SENT, 1);
    if (passive) {
      me.add(Counter.PASSIVE_SENT, 1);
    }
    IpiFifo fifo = fifos[me.id()][target];
    if (fifo.sizeForProducer() > fifo.capacity() / 2 && !me.draining()) {
      // The target may be busy sending to us: empty our side first so both make progress.
      me.add(Counter.HALF_FULL_DRAINS, 1);
      drain(me);
    }
    ArrayDeque<Ipi> backlog = me.backlog(target);
    if (!backlog.isEmpty() || !fifo.offer(op)) {
      me.add(Counter.FIFO_FULL, 1);
      backlog.add(op); // behind everything already waiting: FIFO order holds
      backlogged.set(me.id() * count + target, 1); // before the flush: see drain()
      flush(me, target);
      wake(me, target);
      return;
    }
    if (passive) {
      me.add(Counter.WAKEUPS_AVOIDED, 1);
    } else {
      wake(me, target);
    }
  }

  private void wake(CpuState me, int target) {
    if (wakePending.get(target) == 0 && wakePending.compareAndSet(target, 0, 1)) {
      me.add(Counter.WAKEUPS_SENT, 1);
      refs.get(target).tell(Cpu.Wake.INSTANCE);
    } else {
      me.add(Counter.WAKEUPS_AVOIDED, 1);
    }
  }

  /** On CPU {@code me}'s thread: a wake-up arrived. */
  void woken(CpuState me) {
    // Cleared before draining: a sender that saw it set has already filled its FIFO slot.
    wakePending.set(me.id(), 0);
    drain(me);
  }

  /** On CPU {@code me}'s thread: runs what waits in its incoming FIFOs, retries its backlogs. */
  void drain(CpuState me) {
    if (me.draining()) {
      return;
    }
    me.draining(true);
    try {
      int ran = 0;
      boolean more = false;
      boolean madeRoom = false;
      for (int s = 0; s < count; s++) {
        IpiFifo in = fifos[s][me.id()];
        if (in == null) {
          continue;
        }
        // At most one FIFO's worth per source, so a flooding sender cannot hog this thread.
        for (int n = in.capacity(); n > 0; n--) {
          Ipi op = in.poll();
          if (op == null) {
            break;
          }
          run(me, op);
          ran++;
          madeRoom = true;
        }
        more |= in.nonEmptyForConsumer();
      }
      if (madeRoom) {
        // Senders with a backlog for us get a wake-up so they refill now, not at their tick.
        // The fence orders our head updates before reading their flags (they set the flag
        // before looking for room), so one side always sees the other.
        VarHandle.fullFence();
        for (int s = 0; s < count; s++) {
          if (s != me.id() && backlogged.get(s * count + me.id()) == 1) {
            wake(me, s);
          }
        }
      }
      if (ran > 0) {
        me.add(Counter.DRAINS, 1);
        me.add(Counter.OPS_RUN, ran);
        me.add(Counter.BATCHED, ran - 1);
      }
      for (int t = 0; t < count; t++) {
        if (t != me.id() && !me.backlog(t).isEmpty()) {
          flush(me, t);
          wake(me, t);
        }
      }
      if (more && wakePending.compareAndSet(me.id(), 0, 1)) {
        refs.get(me.id()).tell(Cpu.Wake.INSTANCE);
      }
    } finally {
      me.draining(false);
    }
  }

  void run(CpuState me, Ipi op) {
    try {
      op.run(me);
    } catch (RuntimeException e) {
      LOG.error("IPI op failed on cpu {} (a bug in the op; the CPU goes on)", me.id(), e);
    }
  }

  private void flush(CpuState me, int target) {
    ArrayDeque<Ipi> backlog = me.backlog(target);
    IpiFifo fifo = fifos[me.id()][target];
    while (!backlog.isEmpty() && fifo.offer(backlog.peekFirst())) {
      backlog.pollFirst();
    }
    if (backlog.isEmpty()) {
      backlogged.set(me.id() * count + target, 0);
    }
  }

  private String registerDispatcher(int cpu) {
    String id = dispatcherId(cpu);
    Dispatchers dispatchers = system.classicSystem().dispatchers();
    if (!dispatchers.hasDispatcher(id)) {
      Config config = ConfigFactory.parseMap(Map.of("id", id))
          .withFallback(settings.cpuDispatcher())
          .withFallback(system.settings().config().getConfig("akka.actor.default-dispatcher"));
      dispatchers.registerConfigurator(id,
          new DispatcherConfigurator(config, dispatchers.prerequisites()));
    }
    return id;
  }

  private static final class Id extends ExtensionId<Cpus> {
    @Override
    public Cpus createExtension(ActorSystem<?> system) {
      return new Cpus(system);
    }
  }
}

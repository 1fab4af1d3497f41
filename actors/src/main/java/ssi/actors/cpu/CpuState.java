package ssi.actors.cpu;

import akka.actor.typed.ActorSystem;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything that belongs to one CPU: its run queue of LWKT threads, per-CPU caches
 * ({@link #local}), its IPI backlogs and counters. It is confined to the CPU's one thread — that is
 * what makes a "critical section" plain code with no lock — and every access checks it: from any
 * other thread it throws {@link IllegalStateException} (invariant 7 of DESIGN §12).
 *
 * <p>The owner is the thread the CPU actor first ran on. Should the dispatcher ever replace its one
 * thread, the replacement is recognised by the dispatcher's thread-name prefix, which no other
 * thread carries.
 */
public final class CpuState {

  private static final ThreadLocal<CpuState> CURRENT = new ThreadLocal<>();

  private final int id;
  private final ActorSystem<?> system;
  private final String threadPrefix;
  private volatile Thread owner;

  private final Map<Object, Object> locals = new HashMap<>();
  private final Set<String> runQueue = new LinkedHashSet<>();
  private final ArrayDeque<Ipi>[] backlogs;
  private boolean draining;

  private final long[] counters = new long[Counter.values().length];

  /** This CPU's counters (see {@link CpuStats} for their meaning). */
  enum Counter {
    IPIS_SENT, PASSIVE_SENT, DIRECT_CALLS, WAKEUPS_SENT, WAKEUPS_AVOIDED, HALF_FULL_DRAINS,
    FIFO_FULL, OPS_RUN, BATCHED, DRAINS, TICKS, EXTERNAL_RUNS
  }

  @SuppressWarnings("unchecked")
  CpuState(int id, int cpus, ActorSystem<?> system, String threadPrefix) {
    this.id = id;
    this.system = system;
    this.threadPrefix = threadPrefix;
    this.backlogs = new ArrayDeque[cpus];
    for (int i = 0; i < cpus; i++) {
      backlogs[i] = new ArrayDeque<>();
    }
  }

  /** The CPU state of the calling thread, or null if it is not a CPU's thread. */
  static CpuState current() {
    return CURRENT.get();
  }

  /** This CPU's number (safe from any thread: it never changes). */
  public int id() {
    return id;
  }

  /** The actor system, for ops that start actors on this CPU. */
  public ActorSystem<?> system() {
    check();
    return system;
  }

  /**
   * A per-CPU value, created on first use: a cache or counter that only this CPU touches, so it
   * needs no lock. Keys are the caller's (use a class or an enum to avoid clashes).
   */
  @SuppressWarnings("unchecked")
  public <T> T local(Object key, Supplier<T> init) {
    check();
    return (T) locals.computeIfAbsent(key, k -> init.get());
  }

  /** Puts an LWKT thread on this CPU's run queue. */
  public void bindThread(String name) {
    check();
    runQueue.add(name);
  }

  /** Takes an LWKT thread off this CPU's run queue (it left or moved). */
  public void unbindThread(String name) {
    check();
    runQueue.remove(name);
  }

  /** The LWKT threads bound to this CPU. */
  public List<String> threads() {
    check();
    return List.copyOf(runQueue);
  }

  /** The CPU's counters now. */
  public CpuStats stats() {
    check();
    long waiting = 0;
    for (ArrayDeque<Ipi> b : backlogs) {
      waiting += b.size();
    }
    return new CpuStats(id, owner.getName(), get(Counter.IPIS_SENT), get(Counter.PASSIVE_SENT),
        get(Counter.DIRECT_CALLS), get(Counter.WAKEUPS_SENT), get(Counter.WAKEUPS_AVOIDED),
        get(Counter.HALF_FULL_DRAINS), get(Counter.FIFO_FULL), waiting, get(Counter.OPS_RUN),
        get(Counter.BATCHED), get(Counter.DRAINS), get(Counter.TICKS), get(Counter.EXTERNAL_RUNS),
        runQueue.size());
  }

  // ---- used by Cpu and Cpus, always on this CPU's thread ----

  /** Called by the CPU actor when it starts on its thread. */
  void bind() {
    Thread t = Thread.currentThread();
    if (!t.getName().startsWith(threadPrefix)) {
      throw new IllegalStateException("cpu " + id + " started on " + t.getName()
          + ", not on its dispatcher (" + threadPrefix + "*)");
    }
    owner = t;
    CURRENT.set(this);
  }


  void add(Counter c, long n) {
    check();
    counters[c.ordinal()] += n;
  }

  private long get(Counter c) {
    return counters[c.ordinal()];
  }

  ArrayDeque<Ipi> backlog(int target) {
    check();
    return backlogs[target];
  }

  boolean draining() {
    check();
    return draining;
  }

  void draining(boolean d) {
    check();
    draining = d;
  }

  /** The confinement check every access makes. */
  void check() {
    Thread t = Thread.currentThread();
    if (t == owner) {
      return;
    }
    if (isOwnThread(t)) {
      owner = t; // first touch before bind(), or the dispatcher replaced its one thread
      CURRENT.set(this);
      return;
    }
    throw new IllegalStateException("per-CPU state of cpu " + id + " touched from thread '"
        + t.getName() + "'; only its own thread (" + threadPrefix + "*) may touch it");
  }

  /** Whether {@code t} is this CPU's thread (safe from any thread). */
  boolean isOwnThread(Thread t) {
    return t == owner || t.getName().startsWith(threadPrefix);
  }
}

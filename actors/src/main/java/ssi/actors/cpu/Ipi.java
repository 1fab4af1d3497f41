package ssi.actors.cpu;

/**
 * An inter-processor interrupt: an operation run on a target CPU's own thread, with that CPU's
 * state. Sent with {@link Cpus#ipi} (urgent: wakes the target) or {@link Cpus#ipiPassive}
 * (batched until the target next runs or ticks).
 *
 * <pre>{@code
 * cpus.ipi(1, cpu -> cpu.local("hits", Counter::new).add(1));
 * }</pre>
 */
@FunctionalInterface
public interface Ipi {

  /** Runs on the target CPU's thread; {@code cpu} is that CPU's state. */
  void run(CpuState cpu);
}

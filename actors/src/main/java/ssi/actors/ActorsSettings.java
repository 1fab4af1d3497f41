package ssi.actors;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The actors module's {@code ssi.*} settings (documented with their defaults in this module's
 * {@code reference.conf}).
 *
 * @param cpus CPU actors on this node ({@code ssi.cpus}; 0 in config means available processors)
 * @param cpuDispatcher the template every per-CPU dispatcher {@code ssi-cpu-N} is built from
 * @param statsTimeout how long a stats query waits for a CPU's answer
 * @param ipiTick period at which a CPU drains passive IPIs if nothing woke it sooner
 * @param ipiFifoSize capacity of each (source, target) IPI FIFO
 * @param bglSubsystems the subsystems registered at start-up
 * @param bglCovered the subsystems whose operations run inside the BGL
 * @param bglPerCpu removed subsystems that get one domain per CPU, work hashed by key
 * @param portsTopDefault ports listed by {@code /ssi/ports} without {@code ?top=}
 * @param portsTopMax the largest {@code ?top=} accepted
 * @param threadForwardLinger how long a moved LWKT thread's old actor forwards stragglers
 * @param threadStashCapacity messages an LWKT thread may hold while it moves
 */
public record ActorsSettings(int cpus, Config cpuDispatcher, Duration statsTimeout,
    Duration ipiTick, int ipiFifoSize, List<String> bglSubsystems, List<String> bglCovered,
    List<String> bglPerCpu, int portsTopDefault, int portsTopMax, Duration threadForwardLinger,
    int threadStashCapacity) {

  /** Reads the settings from a node's config. */
  public static ActorsSettings from(Config config) {
    Config c = config.getConfig("ssi");
    int cpus = c.getInt("cpus");
    if (cpus < 0) {
      throw new IllegalArgumentException("ssi.cpus must be >= 0 (0 = available processors)");
    }
    int fifo = c.getInt("ipi.fifo-size");
    if (fifo < 2) {
      throw new IllegalArgumentException("ssi.ipi.fifo-size must be >= 2, got " + fifo);
    }
    return new ActorsSettings(
        cpus == 0 ? Runtime.getRuntime().availableProcessors() : cpus,
        c.getConfig("cpu.dispatcher"),
        c.getDuration("cpu.stats-timeout"),
        c.getDuration("ipi.tick"),
        fifo,
        List.copyOf(c.getStringList("bgl.subsystems")),
        List.copyOf(c.getStringList("bgl.covered")),
        List.copyOf(c.getStringList("bgl.per-cpu")),
        c.getInt("ports.top-default"),
        c.getInt("ports.top-max"),
        c.getDuration("thread.forward-linger"),
        c.getInt("thread.stash-capacity"));
  }
}

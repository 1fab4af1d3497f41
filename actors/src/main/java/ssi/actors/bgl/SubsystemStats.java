package ssi.actors.bgl;

import java.util.List;

/**
 * One subsystem as shown at {@code /ssi/bgl}: where its work runs and how it went.
 *
 * @param name the subsystem
 * @param covered whether its work runs inside the BGL
 * @param domains where it runs: {@code bgl}, or the names of its own protocol threads
 * @param ops operations completed
 * @param failed operations that ended in an error
 * @param avgQueueWaitMicros mean time from call to start
 * @param maxQueueWaitMicros longest time from call to start
 * @param avgHoldMicros mean time the operation held its domain
 * @param maxHoldMicros longest time an operation held its domain
 */
public record SubsystemStats(String name, boolean covered, List<String> domains, long ops,
    long failed, double avgQueueWaitMicros, double maxQueueWaitMicros, double avgHoldMicros,
    double maxHoldMicros) {
}

package ssi.actors.cpu;

/**
 * One CPU's counters, as exported at {@code /ssi/cpus}. Sender-side counters count IPIs this CPU
 * sent; receiver-side ones count what ran here.
 *
 * @param cpu the CPU's number
 * @param thread the name of the CPU's one thread
 * @param ipisSent IPIs sent to other CPUs (active and passive)
 * @param passiveSent of which passive
 * @param directCalls IPIs to itself, run as a direct call
 * @param wakeupsSent wake-up messages sent to targets
 * @param wakeupsAvoided IPIs that needed no wake-up (passive, or the target already had one due)
 * @param halfFullDrains sends that found the FIFO over half full and drained own IPIs first
 * @param fifoFull sends that found the FIFO full and left the op in this CPU's backlog
 * @param backlog ops now waiting in this CPU's backlogs for room in a full FIFO
 * @param opsRun IPI ops run here (from FIFOs and from non-CPU threads)
 * @param batched ops run by a drain beyond the first (the wake-ups batching saved)
 * @param drains drains of the incoming FIFOs that found work
 * @param ticks ticks seen
 * @param externalRuns ops sent here by threads that are not CPUs
 * @param threads LWKT threads bound to this CPU
 */
public record CpuStats(int cpu, String thread, long ipisSent, long passiveSent, long directCalls,
    long wakeupsSent, long wakeupsAvoided, long halfFullDrains, long fifoFull, long backlog,
    long opsRun, long batched, long drains, long ticks, long externalRuns, int threads) {
}

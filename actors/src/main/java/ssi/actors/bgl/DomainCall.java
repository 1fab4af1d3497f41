package ssi.actors.bgl;

import java.util.function.Supplier;

/**
 * One operation of a subsystem, as it travels to the domain that runs it.
 *
 * @param subsystem the subsystem's name
 * @param key what the work is about (removed per-CPU subsystems hash it to a CPU)
 * @param op the work; its value is the reply, a thrown exception becomes {@code EIO}
 * @param sentNanos when it was sent, for the queue-wait figure
 */
record DomainCall(String subsystem, Object key, Supplier<?> op, long sentNanos) {
}

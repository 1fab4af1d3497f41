/**
 * CPUs and IPIs (DESIGN §4). As in DragonFly, each CPU owns its state outright — run queue,
 * caches, counters — and other CPUs never lock it: they send it an IPI, an operation the CPU runs
 * on its own thread. Here a CPU is an actor alone on a single-thread dispatcher ({@code ssi-cpu-N}),
 * IPIs travel through lock-free per-(source, target) FIFOs, and passive IPIs are batched until the
 * target next runs or ticks.
 */
package ssi.actors.cpu;

/**
 * The {@code lwkt} benchmark suite ({@code bench/run lwkt}): what the DragonFly mechanisms buy,
 * each as a ratio against its conventional baseline measured in the same run — {@code domsg}'s fast
 * and queued paths against Akka ask, per-CPU state kept by IPI against a shared lock, and a
 * subsystem removed from the BGL against the same work under it, on 1 and 2 CPUs.
 */
package ssi.bench.lwkt;

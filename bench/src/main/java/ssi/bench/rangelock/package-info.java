/**
 * The {@code rangelock} benchmark suite ({@code bench/run rangelock}): disjoint range writers on
 * one file against one whole-file lock on 2 CPUs, and an uncontended range lock acquire+release
 * against {@code ReentrantReadWriteLock}, each measured side by side in one JMH run.
 */
package ssi.bench.rangelock;

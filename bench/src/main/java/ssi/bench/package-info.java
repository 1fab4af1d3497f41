/**
 * The benchmark driver ({@code bench/run SUITE}) and its contract: a {@link ssi.bench.Suite} runs
 * side-by-side measurements and returns {@link ssi.bench.Goal}s, each a ratio measured in the same
 * run and compared with a target from DESIGN §13. Suites are found with {@link
 * java.util.ServiceLoader}; each lives in its own sub-package next to its JMH {@code *Benchmark}
 * classes.
 */
package ssi.bench;

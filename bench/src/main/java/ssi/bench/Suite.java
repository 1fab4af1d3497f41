package ssi.bench;

import java.util.List;

/**
 * One benchmark suite of DESIGN §13, run by {@link BenchDriver}. Implementations are listed in
 * {@code META-INF/services/ssi.bench.Suite} (one class per line) and need a public no-argument
 * constructor.
 *
 * <p>A suite must finish in under 5 minutes on a 2-core machine, and in under 60 seconds when
 * {@code quick} is set (fewer, shorter iterations).
 */
public interface Suite {

  /** The name given on the command line ({@code bench/run NAME}) and used for the results file. */
  String name();

  /**
   * Runs the suite and returns its goals; detail may be printed to standard output as it goes.
   *
   * @param quick fewer and shorter iterations, for a smoke run
   * @throws Exception if the suite could not run (the driver then exits with status 2)
   */
  List<Goal> run(boolean quick) throws Exception;
}

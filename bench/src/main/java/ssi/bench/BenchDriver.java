package ssi.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The benchmark driver behind {@code bench/run}: {@code BenchDriver SUITE [--quick]}, where SUITE
 * is a suite's name or {@code all}. It prints the suite's detail and one {@code GOAL} line per goal
 * (see {@link Goal#line()}), and writes exactly those lines to {@code bench/results/<suite>.txt}
 * under the project root (system property {@code ssi.project.root}, else the current directory).
 *
 * <p>Exit status (DESIGN §13): 0 when the suite ran, whether its goals pass or miss; 2 when it
 * could not run — an unknown or not yet implemented suite, a bad command line, or a suite that
 * failed. With {@code all}, every implemented suite runs in DESIGN order, each writing its own
 * file; missing suites are reported and skipped, and the status is 2 if any suite failed.
 */
public final class BenchDriver {

  /** The suites DESIGN §13 names, in the order {@code all} runs them. */
  static final List<String> DESIGN_SUITES =
      List.of("lwkt", "mesh", "cache", "rangelock", "files", "migration", "serialization");

  static final int EXIT_RAN = 0;
  static final int EXIT_COULD_NOT_RUN = 2;

  private static final String ALL = "all";
  private static final String QUICK = "--quick";
  private static final String ROOT_PROPERTY = "ssi.project.root";
  private static final String RESULTS_DIR = "bench/results";
  private static final double NANOS_PER_SECOND = 1e9;
  private static final int MAX_LOAD_ERRORS = 100;

  private final Map<String, Suite> suites;
  private final Path resultsDir;
  private final PrintStream out;
  private final PrintStream err;

  BenchDriver(Map<String, Suite> suites, Path resultsDir, PrintStream out, PrintStream err) {
    this.suites = suites;
    this.resultsDir = resultsDir;
    this.out = out;
    this.err = err;
  }

  /** Runs the driver and exits with its status; lingering benchmark threads do not keep the JVM. */
  public static void main(String[] args) {
    Path root = Path.of(System.getProperty(ROOT_PROPERTY, "."));
    BenchDriver driver =
        new BenchDriver(loadSuites(System.err), root.resolve(RESULTS_DIR), System.out, System.err);
    int status = driver.run(List.of(args));
    System.out.flush();
    System.exit(status);
  }

  /** Parses the command line and runs the named suite (or all); returns the exit status. */
  int run(List<String> args) {
    boolean quick = false;
    List<String> names = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals(QUICK)) {
        quick = true;
      } else if (arg.equals("-h") || arg.equals("--help")) {
        usage(out);
        return EXIT_RAN;
      } else if (arg.startsWith("-")) {
        err.println("unknown option: " + arg);
        usage(err);
        return EXIT_COULD_NOT_RUN;
      } else {
        names.add(arg);
      }
    }
    if (names.size() != 1) {
      usage(err);
      return EXIT_COULD_NOT_RUN;
    }
    String name = names.get(0);
    if (name.equals(ALL)) {
      return runAll(quick);
    }
    Suite suite = suites.get(name);
    if (suite == null) {
      if (DESIGN_SUITES.contains(name)) {
        err.println("suite '" + name + "' is not implemented yet; implemented: " + implemented());
      } else {
        err.println("unknown suite '" + name + "'; known suites: " + known() + ", or all");
      }
      return EXIT_COULD_NOT_RUN;
    }
    return runOne(suite, quick) ? EXIT_RAN : EXIT_COULD_NOT_RUN;
  }

  private int runAll(boolean quick) {
    List<String> order = new ArrayList<>(DESIGN_SUITES);
    suites.keySet().stream().filter(n -> !order.contains(n)).sorted().forEach(order::add);
    int ran = 0;
    boolean failed = false;
    for (String name : order) {
      Suite suite = suites.get(name);
      if (suite == null) {
        out.println("suite " + name + ": not implemented yet, skipped");
      } else if (runOne(suite, quick)) {
        ran++;
      } else {
        failed = true;
      }
    }
    if (ran == 0 && !failed) {
      err.println("no suite is implemented yet");
      return EXIT_COULD_NOT_RUN;
    }
    return failed ? EXIT_COULD_NOT_RUN : EXIT_RAN;
  }

  /** Runs one suite, prints and writes its goal lines; false if it could not run. */
  private boolean runOne(Suite suite, boolean quick) {
    String name = suite.name();
    out.println("== suite " + name + (quick ? " (quick)" : "") + " ==");
    long start = System.nanoTime();
    List<Goal> goals;
    try {
      goals = suite.run(quick);
    } catch (Exception | LinkageError e) {
      err.println("suite " + name + " could not run: " + e);
      e.printStackTrace(err);
      return false;
    }
    if (goals == null || goals.isEmpty()) {
      err.println("suite " + name + " could not run: it measured no goals");
      return false;
    }
    double seconds = (System.nanoTime() - start) / NANOS_PER_SECOND;
    out.println(String.format(Locale.ROOT, "suite %s finished in %.1f s", name, seconds));
    List<String> lines = goals.stream().map(Goal::line).toList();
    lines.forEach(out::println);
    Path file = resultsDir.resolve(name + ".txt");
    try {
      Files.createDirectories(resultsDir);
      Files.write(file, lines);
    } catch (IOException e) {
      err.println("suite " + name + ": cannot write " + file + ": " + e);
      return false;
    }
    out.println("results written to " + file);
    return true;
  }

  private String implemented() {
    return suites.isEmpty() ? "(none)" : String.join(", ", suites.keySet());
  }

  private String known() {
    List<String> all = new ArrayList<>(DESIGN_SUITES);
    suites.keySet().stream().filter(n -> !all.contains(n)).forEach(all::add);
    return String.join(", ", all);
  }

  private void usage(PrintStream to) {
    to.println("usage: bench/run SUITE [--quick]");
    to.println("  SUITE: one of " + known() + ", or all");
    to.println("  implemented: " + implemented());
    to.println("  --quick: fewer, shorter iterations (under 60 s per suite)");
  }

  /**
   * The suites on the class path, by name. A listed class that cannot be loaded is reported and
   * skipped, so one broken suite does not stop the others.
   */
  static Map<String, Suite> loadSuites(PrintStream err) {
    Map<String, Suite> found = new TreeMap<>();
    Iterator<Suite> it = ServiceLoader.load(Suite.class).iterator();
    // ServiceLoader moves past a broken entry after reporting it; the bound is only a safeguard.
    for (int errors = 0; errors < MAX_LOAD_ERRORS; ) {
      try {
        if (!it.hasNext()) {
          break;
        }
        Suite suite = it.next();
        Suite previous = found.putIfAbsent(suite.name(), suite);
        if (previous != null) {
          err.println("warning: two suites named " + suite.name() + "; using "
              + previous.getClass().getName());
        }
      } catch (ServiceConfigurationError e) {
        err.println("warning: a suite could not be loaded: " + e.getMessage());
        errors++;
      }
    }
    return found;
  }
}

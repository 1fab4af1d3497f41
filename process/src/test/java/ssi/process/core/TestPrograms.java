package ssi.process.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * Programs for the process tests, found through the test classpath's ServiceLoader file. Their
 * Kryo ids are given by {@link #KRYO} (the tests' cluster configuration); {@code Unregistered}
 * deliberately has none.
 */
final class TestPrograms {

  /** The registration of the movable ones, for a test cluster's configuration. */
  static final String KRYO = """
      ssi.serialization.classes {
        "ssi.process.core.TestPrograms$Spawner" = 1100
        "ssi.process.core.TestPrograms$Hoarder" = 1101
      }
      """;

  private TestPrograms() {
  }

  /**
   * {@code test-spawner NODE PROGRAM ARGS...}: spawns PROGRAM with ARGS on NODE ({@code -}: the
   * least-loaded), writes {@code pid N} or {@code errno E} to its descriptor 1 and exits 0.
   */
  static final class Spawner implements Program {
    private List<String> args;
    private int step;

    Spawner() {
    }

    Spawner(List<String> args) {
      this.args = List.copyOf(args);
    }

    @Override
    public Syscall step(SysResult last) {
      switch (step++) {
        case 0:
          return new Syscall.Spawn(args.get(1), args.subList(2, args.size()),
              "-".equals(args.get(0)) ? null : args.get(0), Map.of());
        case 1:
          String line = last.ok() ? "pid " + last.value() + "\n" : "errno " + last.errno() + "\n";
          return new Syscall.Write(1, line.getBytes(StandardCharsets.US_ASCII));
        default:
          return new Syscall.Exit(0);
      }
    }
  }

  /**
   * {@code test-hoarder SLEEPS}: after its first step it holds an object Kryo does not know (so
   * it can no longer migrate), sleeps 50 ms SLEEPS times and exits 0.
   */
  static final class Hoarder implements Program {
    private int sleeps;
    private Object junk;

    Hoarder() {
    }

    Hoarder(int sleeps) {
      this.sleeps = sleeps;
    }

    @Override
    public Syscall step(SysResult last) {
      junk = new AtomicLong(sleeps);
      return sleeps-- > 0 ? new Syscall.Sleep(50) : new Syscall.Exit(junk != null ? 0 : 1);
    }
  }

  /** {@code test-unregistered}: a program whose class is not registered for Kryo. */
  static final class Unregistered implements Program {
    @Override
    public Syscall step(SysResult last) {
      return new Syscall.Exit(0);
    }
  }

  /** Makes {@code test-spawner}. */
  public static final class SpawnerFactory implements ProgramFactory {
    @Override
    public String name() {
      return "test-spawner";
    }

    @Override
    public String usage() {
      return "test-spawner NODE|- PROGRAM ARGS...";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() < 2) {
        throw new IllegalArgumentException("needs NODE and PROGRAM");
      }
      return new Spawner(args);
    }
  }

  /** Makes {@code test-hoarder}. */
  public static final class HoarderFactory implements ProgramFactory {
    @Override
    public String name() {
      return "test-hoarder";
    }

    @Override
    public String usage() {
      return "test-hoarder SLEEPS";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      return new Hoarder(Integer.parseInt(args.get(0)));
    }
  }

  /** Makes {@code test-unregistered}. */
  public static final class UnregisteredFactory implements ProgramFactory {
    @Override
    public String name() {
      return "test-unregistered";
    }

    @Override
    public String usage() {
      return "test-unregistered";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      return new Unregistered();
    }
  }
}

package ssi.process.program.builtin;

import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code cat [PATH]}: copies PATH (or descriptor 0) to descriptor 1 until end of file, then exits
 * 0; exits 1 when a read or write fails.
 */
public final class Cat implements Program {

  private static final int CHUNK = 16 * 1024;

  private String path;
  private int in;
  private int phase;

  @Override
  public Syscall step(SysResult last) {
    switch (phase) {
      case 0 -> {
        phase = 1;
        if (path != null) {
          phase = 4;
          return new Syscall.Open(path, false);
        }
        return new Syscall.Read(in, CHUNK);
      }
      case 4 -> {
        if (!last.ok()) {
          return new Syscall.Exit(1);
        }
        in = (int) last.value();
        phase = 1;
        return new Syscall.Read(in, CHUNK);
      }
      case 1 -> {
        if (!last.ok()) {
          return new Syscall.Exit(1);
        }
        if (last.eof() || (path != null && last.data().length == 0)) {
          return new Syscall.Exit(0);
        }
        phase = 2;
        return new Syscall.Write(1, last.data());
      }
      default -> {
        if (!last.ok()) {
          return new Syscall.Exit(1);
        }
        phase = 1;
        return new Syscall.Read(in, CHUNK);
      }
    }
  }

  /** Makes cats. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "cat";
    }

    @Override
    public String usage() {
      return "cat [PATH]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() > 1) {
        throw new IllegalArgumentException("cat takes at most one path");
      }
      Cat c = new Cat();
      c.path = args.isEmpty() ? null : args.get(0);
      return c;
    }
  }
}

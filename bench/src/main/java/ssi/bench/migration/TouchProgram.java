package ssi.bench.migration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code bench-touch PAGES TOUCH}: the migration suite's process, with a known touch pattern.
 * It writes PAGES pages of its memory in one system call, then reads a line from descriptor 0
 * (a tty: the suite migrates it while it waits there, then types the line), then reads TOUCH
 * distinct pages spread evenly over the PAGES (page {@code i * PAGES / TOUCH}), checking every
 * byte, writes {@code "touch ok\n"} (or what differed) to descriptor 0 and exits 0 (1 on a bad
 * byte, 2 on a failed call). So after a migration it touches exactly TOUCH pages of its memory.
 */
public final class TouchProgram implements Program {

  static final String NAME = "bench-touch";
  static final int PAGE = 4096;

  private static final int FILL = 0;
  private static final int WAIT = 1;
  private static final int TOUCH = 2;
  private static final int REPORT = 3;
  private static final int DONE = 4;
  private static final int LINE_MAX = 64;

  private int pages;
  private int touch;
  private int phase;
  private int touched;
  private int status;

  @Override
  public Syscall step(SysResult last) {
    switch (phase) {
      case FILL -> {
        phase = WAIT;
        byte[] all = new byte[pages * PAGE];
        for (int p = 0; p < pages; p++) {
          fill(all, p);
        }
        return new Syscall.MemWrite(0, 0, all);
      }
      case WAIT -> {
        if (!last.ok()) {
          return new Syscall.Exit(2);
        }
        phase = TOUCH;
        return new Syscall.Read(0, LINE_MAX);
      }
      case TOUCH -> {
        if (!last.ok()) {
          return new Syscall.Exit(2);
        }
        if (touched > 0 && !matches(last.data(), page(touched - 1))) {
          return report("touch FAILED: page " + page(touched - 1) + " differs\n", 1);
        }
        if (touched == touch) {
          return report("touch ok\n", 0);
        }
        int p = page(touched++);
        return new Syscall.MemRead(0, (long) p * PAGE, PAGE);
      }
      case REPORT -> {
        phase = DONE;
        return new Syscall.Exit(last.ok() ? status : 2);
      }
      default -> {
        return new Syscall.Exit(2);
      }
    }
  }

  /** The i-th page touched after the wait. */
  private int page(int i) {
    return (int) ((long) i * pages / touch);
  }

  private Syscall report(String text, int exitStatus) {
    phase = REPORT;
    status = exitStatus;
    return new Syscall.Write(0, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static void fill(byte[] all, int p) {
    for (int i = 0; i < PAGE; i++) {
      all[p * PAGE + i] = pattern(p, i);
    }
  }

  private static byte pattern(int p, int i) {
    return (byte) (p * 31 + i * 7 + 1);
  }

  private static boolean matches(byte[] got, int p) {
    if (got == null || got.length != PAGE) {
      return false;
    }
    for (int i = 0; i < PAGE; i++) {
      if (got[i] != pattern(p, i)) {
        return false;
      }
    }
    return true;
  }

  /** Makes bench-touch programs. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String usage() {
      return NAME + " PAGES TOUCH (1 <= TOUCH <= PAGES <= 4096)";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() != 2) {
        throw new IllegalArgumentException("two arguments expected");
      }
      TouchProgram t = new TouchProgram();
      try {
        t.pages = Integer.parseInt(args.get(0));
        t.touch = Integer.parseInt(args.get(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("PAGES and TOUCH are numbers");
      }
      if (t.touch < 1 || t.touch > t.pages || t.pages > 4096) {
        throw new IllegalArgumentException("need 1 <= TOUCH <= PAGES <= 4096");
      }
      return t;
    }
  }
}

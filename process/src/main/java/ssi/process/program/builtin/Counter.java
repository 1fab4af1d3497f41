package ssi.process.program.builtin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code counter [PATH] COUNT [INTERVAL_MS]}: appends the lines {@code 1\n} .. {@code COUNT\n} to
 * PATH (opened in append mode) or, without a path, to descriptor 1, one line every INTERVAL_MS
 * (default 100). The current number lives in the process's memory (region 0, offset 0), not in a
 * field: after a migration it is read back through the coherence protocol, so a line printed
 * twice or skipped would show that memory did not follow the process.
 */
public final class Counter implements Program {

  private String path;
  private long count;
  private long interval;
  private int fd = 1;
  private int phase;
  private long current;

  @Override
  public Syscall step(SysResult last) {
    while (true) {
      switch (phase) {
        case 0 -> {
          phase = 1;
          if (path != null) {
            return new Syscall.Open(path, true);
          }
        }
        case 1 -> {
          if (path != null) {
            if (!last.ok()) {
              return new Syscall.Exit(2);
            }
            fd = (int) last.value();
          }
          phase = 2;
          return new Syscall.MemRead(0, 0, 8);
        }
        case 2 -> {
          if (!last.ok()) {
            return new Syscall.Exit(3);
          }
          current = ByteBuffer.wrap(last.data()).getLong() + 1;
          if (current > count) {
            return new Syscall.Exit(0);
          }
          phase = 3;
          return new Syscall.MemWrite(0, 0, ByteBuffer.allocate(8).putLong(current).array());
        }
        case 3 -> {
          if (!last.ok()) {
            return new Syscall.Exit(3);
          }
          phase = 4;
          return new Syscall.Write(fd, (current + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        case 4 -> {
          if (!last.ok()) {
            return new Syscall.Exit(4);
          }
          phase = 5;
          if (interval > 0) {
            return new Syscall.Sleep(interval);
          }
        }
        default -> {
          phase = 2;
          return new Syscall.MemRead(0, 0, 8);
        }
      }
    }
  }

  /** Makes counters. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "counter";
    }

    @Override
    public String usage() {
      return "counter [PATH] COUNT [INTERVAL_MS]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      Counter c = new Counter();
      int i = 0;
      if (Args.leadingPath(args)) {
        c.path = args.get(0);
        i = 1;
      }
      c.count = Args.number(args, i, 100, 0, Long.MAX_VALUE / 2, "COUNT");
      c.interval = Args.number(args, i + 1, 100, 0, 3_600_000, "INTERVAL_MS");
      return c;
    }
  }
}

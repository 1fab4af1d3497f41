package ssi.process.program.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code yes LINES [INTERVAL_MS] [BATCH]}: writes the numbered lines {@code 1\n} .. {@code LINES\n}
 * to descriptor 1, BATCH lines per write (default 64), sleeping INTERVAL_MS between writes
 * (default 0), then exits 0. Numbered rather than "y" so a consumer can check that nothing was
 * lost, duplicated or reordered on the way. A failed write (EPIPE) exits 1.
 */
public final class Yes implements Program {

  private long lines;
  private long interval;
  private int batch;
  private long next = 1;
  private boolean sleepNext;

  @Override
  public Syscall step(SysResult last) {
    if (!last.ok()) {
      return new Syscall.Exit(1);
    }
    if (next > lines) {
      return new Syscall.Exit(0);
    }
    if (sleepNext) {
      sleepNext = false;
      return new Syscall.Sleep(interval);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < batch && next <= lines; i++) {
      sb.append(next++).append('\n');
    }
    sleepNext = interval > 0;
    return new Syscall.Write(1, sb.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Makes yes programs. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "yes";
    }

    @Override
    public String usage() {
      return "yes LINES [INTERVAL_MS] [BATCH]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      Yes y = new Yes();
      y.lines = Args.number(args, 0, 1000, 0, Long.MAX_VALUE / 2, "LINES");
      y.interval = Args.number(args, 1, 0, 0, 3_600_000, "INTERVAL_MS");
      y.batch = (int) Args.number(args, 2, 64, 1, 4096, "BATCH");
      return y;
    }
  }
}

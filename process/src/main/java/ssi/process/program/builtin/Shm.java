package ssi.process.program.builtin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code shm write PATH TEXT} and {@code shm wait PATH TEXT [POLL_MS] [TRIES]}: shared memory
 * through a mapped file. {@code write} maps the cluster file PATH and stores TEXT at its start;
 * {@code wait} maps it and reads the start of the mapping every POLL_MS (default 50) until it
 * holds TEXT, then writes TEXT and a newline to descriptor 1 (if any) and exits 0; after TRIES
 * reads (default 1200) it exits 1. Two processes on different nodes that map the same file see
 * each other's stores through the coherence protocol, wherever either one migrates.
 */
public final class Shm implements Program {

  private boolean write;
  private String path;
  private byte[] text;
  private long poll;
  private long tries;
  private int region;
  private int phase;

  @Override
  public Syscall step(SysResult last) {
    switch (phase) {
      case 0 -> {
        phase = 1;
        return new Syscall.Mmap(path);
      }
      case 1 -> {
        if (!last.ok()) {
          return new Syscall.Exit(2);
        }
        region = (int) last.value();
        if (write) {
          phase = 9;
          return new Syscall.MemWrite(region, 0, text);
        }
        phase = 2;
        return new Syscall.MemRead(region, 0, text.length);
      }
      case 2 -> {
        if (last.ok() && Arrays.equals(last.data(), text)) {
          phase = 10;
          byte[] line = Arrays.copyOf(text, text.length + 1);
          line[text.length] = '\n';
          return new Syscall.Write(1, line);
        }
        if (--tries <= 0) {
          return new Syscall.Exit(1);
        }
        phase = 3;
        return new Syscall.Sleep(poll);
      }
      case 3 -> {
        phase = 2;
        return new Syscall.MemRead(region, 0, text.length);
      }
      case 9 -> {
        return new Syscall.Exit(last.ok() ? 0 : 3);
      }
      default -> {
        return new Syscall.Exit(0); // the line was written (or there is no descriptor 1)
      }
    }
  }

  /** Makes shm programs. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "shm";
    }

    @Override
    public String usage() {
      return "shm write PATH TEXT | shm wait PATH TEXT [POLL_MS] [TRIES]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() < 3 || !List.of("write", "wait").contains(args.get(0))
          || !args.get(1).startsWith("/") || args.get(2).isEmpty()) {
        throw new IllegalArgumentException("expected write|wait, an absolute PATH and a TEXT");
      }
      Shm s = new Shm();
      s.write = args.get(0).equals("write");
      s.path = args.get(1);
      s.text = args.get(2).getBytes(StandardCharsets.UTF_8);
      s.poll = Args.number(args, 3, 50, 1, 60_000, "POLL_MS");
      s.tries = Args.number(args, 4, 1200, 1, Long.MAX_VALUE, "TRIES");
      return s;
    }
  }
}

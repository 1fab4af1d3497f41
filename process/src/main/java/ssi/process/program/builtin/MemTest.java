package ssi.process.program.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code memtest PAGES [INTERVAL_MS] [SEED]}: fills PAGES pages of its memory with a pattern (one
 * page per step, sleeping INTERVAL_MS between pages), then reads every page back and checks every
 * byte. Writes {@code "memtest ok PAGES pages\n"} (or the first bad offset) to descriptor 1 when
 * it has one, and exits 0 when all bytes matched, 1 otherwise. Migrated while it runs, it shows
 * that memory follows the process byte for byte.
 */
public final class MemTest implements Program {

  /** Memory is touched one page at a time. */
  static final int PAGE = 4096;

  private int pages;
  private long interval;
  private int seed;
  private int page;
  private int phase;
  private String verdict;

  @Override
  public Syscall step(SysResult last) {
    switch (phase) {
      case 0 -> { // fill page `page`
        if (page > 0 && !last.ok()) {
          return fail("write of page " + (page - 1) + " failed: " + last.errno());
        }
        if (page == pages) {
          page = 0;
          phase = 2;
          return new Syscall.MemRead(0, 0, PAGE);
        }
        phase = interval > 0 ? 1 : 0;
        int p = page++;
        return new Syscall.MemWrite(0, (long) p * PAGE, pattern(p));
      }
      case 1 -> {
        phase = 0;
        return new Syscall.Sleep(interval);
      }
      case 2 -> { // verify page `page`
        if (!last.ok()) {
          return fail("read of page " + page + " failed: " + last.errno());
        }
        byte[] want = pattern(page);
        byte[] got = last.data();
        for (int i = 0; i < PAGE; i++) {
          if (i >= got.length || got[i] != want[i]) {
            return fail("page " + page + " byte " + i + " differs");
          }
        }
        if (++page == pages) {
          return finish("memtest ok " + pages + " pages\n", 0);
        }
        return new Syscall.MemRead(0, (long) page * PAGE, PAGE);
      }
      default -> {
        return new Syscall.Exit(verdict.startsWith("memtest ok") ? 0 : 1);
      }
    }
  }

  private Syscall fail(String why) {
    return finish("memtest FAILED: " + why + "\n", 1);
  }

  private Syscall finish(String text, int status) {
    verdict = text;
    phase = 3;
    return new Syscall.Write(1, text.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] pattern(int p) {
    byte[] b = new byte[PAGE];
    for (int i = 0; i < PAGE; i++) {
      b[i] = (byte) (p * 31 + i * 7 + seed);
    }
    return b;
  }

  /** Makes memtests. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "memtest";
    }

    @Override
    public String usage() {
      return "memtest PAGES [INTERVAL_MS] [SEED]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      MemTest m = new MemTest();
      m.pages = (int) Args.number(args, 0, 16, 1, 65_536, "PAGES");
      m.interval = Args.number(args, 1, 0, 0, 3_600_000, "INTERVAL_MS");
      m.seed = (int) Args.number(args, 2, 1, 0, 255, "SEED");
      return m;
    }
  }
}

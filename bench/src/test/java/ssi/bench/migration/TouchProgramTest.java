package ssi.bench.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ssi.process.program.Program;
import ssi.process.program.Programs;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/** The suite's process: its touch pattern is what pages-moved-vs-touched divides by. */
class TouchProgramTest {

  /** Runs the program against a plain byte-array memory and a tty fed one line. */
  private static final class Machine {
    final Map<Long, byte[]> pages = new HashMap<>();
    final List<Long> readAfterLine = new ArrayList<>();
    final StringBuilder tty = new StringBuilder();
    boolean lineGiven;
    int exit = -1;

    void run(Program p, java.util.function.Consumer<Machine> corrupt) {
      SysResult last = SysResult.START;
      for (int i = 0; i < 10_000 && exit < 0; i++) {
        Syscall c = p.step(last);
        if (c instanceof Syscall.MemWrite w) {
          for (int off = 0; off < w.data().length; off += TouchProgram.PAGE) {
            pages.put((w.offset() + off) / TouchProgram.PAGE,
                Arrays.copyOfRange(w.data(), off, off + TouchProgram.PAGE));
          }
          corrupt.accept(this);
          last = SysResult.ok(w.data().length);
        } else if (c instanceof Syscall.Read r) {
          assertEquals(0, r.fd());
          lineGiven = true;
          last = SysResult.data("go\n".getBytes(StandardCharsets.US_ASCII));
        } else if (c instanceof Syscall.MemRead r) {
          long page = r.offset() / TouchProgram.PAGE;
          if (lineGiven) {
            readAfterLine.add(page);
          }
          last = SysResult.data(pages.getOrDefault(page, new byte[TouchProgram.PAGE]).clone());
        } else if (c instanceof Syscall.Write w) {
          tty.append(new String(w.data(), StandardCharsets.US_ASCII));
          last = SysResult.ok(w.data().length);
        } else {
          exit = assertInstanceOf(Syscall.Exit.class, c).status();
        }
      }
    }
  }

  private static Program touch(int pages, int touch) {
    return Programs.byName(TouchProgram.NAME).create(List.of(Integer.toString(pages),
        Integer.toString(touch)), Map.of());
  }

  @Test
  void touchesExactlyTouchDistinctPagesAfterTheLine() {
    Machine m = new Machine();
    m.run(touch(256, 16), x -> { });
    assertEquals(0, m.exit);
    assertEquals("touch ok\n", m.tty.toString());
    assertEquals(256, m.pages.size());
    assertEquals(16, m.readAfterLine.size());
    assertEquals(16, m.readAfterLine.stream().distinct().count());
    assertEquals(List.of(0L, 16L, 32L), m.readAfterLine.subList(0, 3));
  }

  @Test
  void aWrongByteInATouchedPageFails() {
    Machine m = new Machine();
    m.run(touch(256, 16), x -> x.pages.get(32L)[100] ^= 1);
    assertEquals(1, m.exit);
    assertEquals("touch FAILED: page 32 differs\n", m.tty.toString());
  }

  @Test
  void badArgumentsAreRefused() {
    var f = Programs.byName(TouchProgram.NAME);
    assertThrows(IllegalArgumentException.class, () -> f.create(List.of("16", "17"), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> f.create(List.of("16"), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> f.create(List.of("x", "1"), Map.of()));
  }
}

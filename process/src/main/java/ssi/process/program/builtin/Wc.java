package ssi.process.program.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code wc}: counts the lines, words and bytes of descriptor 0 until end of file and writes
 * {@code "LINES WORDS BYTES\n"} to descriptor 1.
 */
public final class Wc implements Program {

  private long lines;
  private long words;
  private long bytes;
  private boolean inWord;
  private boolean done;

  @Override
  public Syscall step(SysResult last) {
    if (done) {
      return new Syscall.Exit(last.ok() ? 0 : 1);
    }
    if (!last.ok()) {
      return new Syscall.Exit(1);
    }
    if (last.eof()) {
      done = true;
      return new Syscall.Write(1, (lines + " " + words + " " + bytes + "\n")
          .getBytes(StandardCharsets.US_ASCII));
    }
    for (byte b : last.data()) {
      bytes++;
      if (b == '\n') {
        lines++;
      }
      boolean space = b == ' ' || b == '\n' || b == '\t' || b == '\r';
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return new Syscall.Read(0, 16 * 1024);
  }

  /** Makes wc programs. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "wc";
    }

    @Override
    public String usage() {
      return "wc";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (!args.isEmpty()) {
        throw new IllegalArgumentException("wc reads descriptor 0 and takes no arguments");
      }
      return new Wc();
    }
  }
}

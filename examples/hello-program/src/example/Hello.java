package example;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/** {@code hello NAME TIMES}: writes "hello NAME i" to descriptor 1 once a second, TIMES times. */
public final class Hello implements Program {
  private String name;      // the fields are the whole state: they move with the process
  private int times;
  private int written;
  private boolean wrote;

  @Override
  public Syscall step(SysResult last) {
    if (!last.ok()) {
      return new Syscall.Exit(1);                      // e.g. EPIPE: nobody reads any more
    }
    if (wrote) {
      wrote = false;
      return new Syscall.Sleep(1000);                  // a migration may happen meanwhile
    }
    if (written == times) {
      return new Syscall.Exit(0);
    }
    written++;
    wrote = true;
    return new Syscall.Write(1, ("hello " + name + " " + written + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Found by ServiceLoader (META-INF/services/ssi.process.program.ProgramFactory). */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "hello";
    }

    @Override
    public String usage() {
      return "hello NAME TIMES";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() != 2) {
        throw new IllegalArgumentException("needs NAME and TIMES");
      }
      Hello h = new Hello();
      h.name = args.get(0);
      h.times = Integer.parseInt(args.get(1));
      return h;
    }
  }
}

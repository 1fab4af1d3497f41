package ssi.process.program.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import ssi.actors.lwkt.Errno;
import ssi.process.program.Program;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * A tiny, deterministic executor of system calls for testing programs without a cluster: memory
 * is a map of bytes, descriptor 0 reads from given input chunks (then end of file), descriptor 1
 * and files opened by path collect what is written. Between two steps it can hand the program to
 * {@code between} — e.g. a Kryo round trip, as a migration does at a step boundary.
 */
final class Machine {

  final Map<Long, Byte> memory = new HashMap<>();
  /** Mapped files by path: region i (from 1) is the i-th path mapped; shared by programs run here. */
  final Map<String, Map<Long, Byte>> mappedFiles = new HashMap<>();
  private final java.util.List<String> regions = new java.util.ArrayList<>();
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final Map<String, ByteArrayOutputStream> files = new HashMap<>();
  private final Map<Integer, String> opened = new HashMap<>();
  private final ArrayDeque<byte[]> input = new ArrayDeque<>();
  long sleptMillis;
  int steps;
  /** When non-negative, memory reads of this offset see a flipped bit (a seeded fault). */
  long corruptOffset = -1;

  Machine input(String... chunks) {
    for (String c : chunks) {
      input.add(c.getBytes(StandardCharsets.US_ASCII));
    }
    return this;
  }

  /** Runs {@code p} to its exit, handing it to {@code between} after every step; the status. */
  int run(Program p, UnaryOperator<Program> between) {
    SysResult last = SysResult.START;
    Program program = p;
    while (steps < 1_000_000) {
      Syscall call = program.step(last);
      steps++;
      if (call instanceof Syscall.Exit x) {
        return x.status();
      }
      last = execute(call);
      program = between.apply(program);
    }
    throw new AssertionError("the program did not exit in 1,000,000 steps");
  }

  int run(Program p) {
    return run(p, q -> q);
  }

  String out() {
    return stdout.toString(StandardCharsets.US_ASCII);
  }

  String file(String path) {
    ByteArrayOutputStream f = files.get(path);
    return f == null ? null : f.toString(StandardCharsets.US_ASCII);
  }

  private SysResult execute(Syscall call) {
    if (call instanceof Syscall.Read r) {
      if (r.fd() != 0) {
        return SysResult.error(Errno.EBADF);
      }
      return input.isEmpty() ? SysResult.endOfFile() : SysResult.data(input.poll());
    } else if (call instanceof Syscall.Write w) {
      ByteArrayOutputStream to = w.fd() == 1 ? stdout : files.get(opened.get(w.fd()));
      if (to == null) {
        return SysResult.error(Errno.EBADF);
      }
      to.writeBytes(w.data());
      return SysResult.ok(w.data().length);
    } else if (call instanceof Syscall.Open o) {
      int fd = 3 + opened.size();
      opened.put(fd, o.path());
      files.computeIfAbsent(o.path(), k -> new ByteArrayOutputStream());
      return SysResult.ok(fd);
    } else if (call instanceof Syscall.Mmap m) {
      mappedFiles.computeIfAbsent(m.path(), k -> new HashMap<>());
      regions.add(m.path());
      return SysResult.ok(regions.size());
    } else if (call instanceof Syscall.MemRead m) {
      Map<Long, Byte> mem = m.region() == 0 ? memory : mappedFiles.get(regions.get(m.region() - 1));
      byte[] b = new byte[m.len()];
      for (int i = 0; i < b.length; i++) {
        long at = m.offset() + i;
        b[i] = mem.getOrDefault(at, (byte) 0);
        if (at == corruptOffset) {
          b[i] ^= 1;
        }
      }
      return SysResult.data(b);
    } else if (call instanceof Syscall.MemWrite m) {
      Map<Long, Byte> mem = m.region() == 0 ? memory : mappedFiles.get(regions.get(m.region() - 1));
      for (int i = 0; i < m.data().length; i++) {
        mem.put(m.offset() + i, m.data()[i]);
      }
      return SysResult.ok(m.data().length);
    } else if (call instanceof Syscall.Sleep s) {
      sleptMillis += s.millis();
      return SysResult.ok(0);
    }
    return SysResult.error(Errno.EINVAL);
  }

  static List<String> args(String... a) {
    return List.of(a);
  }
}

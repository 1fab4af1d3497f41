package ssi.process.program.builtin;

import java.util.List;
import java.util.Map;
import ssi.process.program.Program;
import ssi.process.program.ProgramFactory;
import ssi.process.program.SysResult;
import ssi.process.program.Syscall;

/**
 * {@code echo-server [PORT] [MAX_CONNECTIONS]}: listens on PORT (default 0: any free port, shown
 * in the descriptor's detail), accepts one connection at a time and echoes every byte back until
 * the peer closes, closes it and accepts the next; exits 0 after MAX_CONNECTIONS connections
 * (default 0: never), 1 when it cannot listen or accept. A connection that fails mid-way (the
 * peer vanished) is closed and the next one accepted.
 */
public final class EchoServer implements Program {

  private static final int CHUNK = 16 * 1024;
  private static final int LISTEN = 0;
  private static final int LISTENED = 1;
  private static final int ACCEPTED = 2;
  private static final int READ = 3;
  private static final int WRITTEN = 4;
  private static final int CLOSED = 5;

  private int port;
  private long maxConnections;
  private long served;
  private int listenFd = -1;
  private int conn = -1;
  private int phase;

  @Override
  public Syscall step(SysResult last) {
    switch (phase) {
      case LISTEN -> {
        phase = LISTENED;
        return new Syscall.Listen(port);
      }
      case LISTENED -> {
        if (!last.ok()) {
          return new Syscall.Exit(1);
        }
        listenFd = (int) last.value();
        return accept();
      }
      case ACCEPTED -> {
        if (!last.ok()) {
          return new Syscall.Exit(1);
        }
        conn = (int) last.value();
        phase = READ;
        return new Syscall.Read(conn, CHUNK);
      }
      case READ -> {
        if (!last.ok() || last.eof()) {
          return close();
        }
        phase = WRITTEN;
        return new Syscall.Write(conn, last.data());
      }
      case WRITTEN -> {
        if (!last.ok()) {
          return close();
        }
        phase = READ;
        return new Syscall.Read(conn, CHUNK);
      }
      default -> { // CLOSED
        served++;
        conn = -1;
        if (maxConnections > 0 && served >= maxConnections) {
          return new Syscall.Exit(0);
        }
        return accept();
      }
    }
  }

  private Syscall accept() {
    phase = ACCEPTED;
    return new Syscall.Accept(listenFd);
  }

  private Syscall close() {
    phase = CLOSED;
    return new Syscall.Close(conn);
  }

  /** Makes echo servers. */
  public static final class Factory implements ProgramFactory {
    @Override
    public String name() {
      return "echo-server";
    }

    @Override
    public String usage() {
      return "echo-server [PORT] [MAX_CONNECTIONS]";
    }

    @Override
    public Program create(List<String> args, Map<String, String> env) {
      if (args.size() > 2) {
        throw new IllegalArgumentException("echo-server takes at most a port and a count");
      }
      EchoServer e = new EchoServer();
      e.port = (int) Args.number(args, 0, 0, 0, 65535, "PORT");
      e.maxConnections = Args.number(args, 1, 0, 0, Long.MAX_VALUE, "MAX_CONNECTIONS");
      return e;
    }
  }
}

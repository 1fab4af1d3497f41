package ssi.process.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ssi.actors.SsiMessage;

/**
 * What to run: a program by name with its arguments and environment, on a named node (null: the
 * least-loaded one), and its descriptors ({@code fds}: descriptor number to {@link FdSpec}).
 */
public record SpawnSpec(String program, List<String> args, Map<String, String> env, String node,
    Map<Integer, FdSpec> fds) implements SsiMessage {

  /** Copies the collections (immutable). */
  public SpawnSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    fds = Map.copyOf(fds);
  }

  /** The same spec with descriptor {@code fd} wired to {@code spec}. */
  public SpawnSpec withFd(int fd, FdSpec spec) {
    Map<Integer, FdSpec> m = new TreeMap<>(fds);
    m.put(fd, spec);
    return new SpawnSpec(program, args, env, node, m);
  }

  /** The same spec placed on {@code nodeName}. */
  public SpawnSpec on(String nodeName) {
    return new SpawnSpec(program, args, env, nodeName, fds);
  }
}

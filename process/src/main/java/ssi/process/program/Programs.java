package ssi.process.program;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The programs this node can run, found with {@link ServiceLoader} once. */
public final class Programs {

  private static final Map<String, ProgramFactory> BY_NAME = load();

  private Programs() {
  }

  private static Map<String, ProgramFactory> load() {
    Map<String, ProgramFactory> m = new TreeMap<>();
    for (ProgramFactory f : ServiceLoader.load(ProgramFactory.class, Programs.class.getClassLoader())) {
      m.put(f.name(), f);
    }
    return Map.copyOf(m);
  }

  /** The factory named {@code name}, or null. */
  public static ProgramFactory byName(String name) {
    return BY_NAME.get(name);
  }

  /** The names, sorted. */
  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }
}

package ssi.bench;

import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the root log level while a suite's cluster nodes run (the page store, HikariCP, the
 * embedded PostgreSQL and the mesh log at INFO on start and stop), and restores it on close. Uses
 * logback through reflection (it is only on the runtime class path); without logback it does
 * nothing.
 */
public final class QuietLogs implements AutoCloseable {

  private final Object root;
  private final Method setLevel;
  private final Object previous;

  private QuietLogs(Object root, Method setLevel, Object previous) {
    this.root = root;
    this.setLevel = setLevel;
    this.previous = previous;
  }

  /** Sets the root logger to {@code level} (a logback level name, e.g. WARN or ERROR). */
  public static QuietLogs at(String level) {
    try {
      Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
      Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level");
      Method set = root.getClass().getMethod("setLevel", levelClass);
      Object previous = root.getClass().getMethod("getLevel").invoke(root);
      set.invoke(root, levelClass.getField(level).get(null));
      return new QuietLogs(root, set, previous);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new QuietLogs(null, null, null);
    }
  }

  @Override
  public void close() {
    if (root != null) {
      try {
        setLevel.invoke(root, previous);
      } catch (ReflectiveOperationException e) {
        // leave it as it is
      }
    }
  }
}

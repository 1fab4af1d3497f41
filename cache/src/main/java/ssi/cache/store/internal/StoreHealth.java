package ssi.cache.store.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database is reachable, as the last operations found it. Once an operation finds it
 * down, later ones fail at once with EIO (no connection attempt, no wait), except one probe per
 * retry interval; the first operation that succeeds brings it back. Each transition is logged
 * once — one ERROR line going down, one INFO line coming back — so an outage is not a log storm.
 */
public final class StoreHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final String store;
  private final long retryNanos;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final AtomicLong nextProbeNanos = new AtomicLong();
  private final AtomicLong downSinceNanos = new AtomicLong();

  /**
   * @param store how to name the store in log lines (its URL)
   * @param retryInterval how often a store found down is tried again
   */
  public StoreHealth(String store, Duration retryInterval) {
    this.store = store;
    this.retryNanos = retryInterval.toNanos();
  }

  /** Whether the caller may try the database now (always when up; one probe per interval if not). */
  public boolean mayTry() {
    if (up.get()) {
      return true;
    }
    long now = System.nanoTime();
    long next = nextProbeNanos.get();
    return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + retryNanos);
  }

  /** An operation could not reach the database. */
  public void failed(SQLException cause) {
    long now = System.nanoTime();
    nextProbeNanos.set(now + retryNanos);
    if (up.compareAndSet(true, false)) {
      downSinceNanos.set(now);
      LOG.error("Page store {} is unreachable ({}); its callers get EIO until it is back, "
          + "tried again at most every {} ms", store, describe(cause),
          TimeUnit.NANOSECONDS.toMillis(retryNanos));
    } else {
      LOG.debug("Page store {} still unreachable: {}", store, describe(cause));
    }
  }

  /** An operation reached the database. */
  public void succeeded() {
    if (!up.get() && up.compareAndSet(false, true)) {
      LOG.info("Page store {} is reachable again after {} ms", store,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos.get()));
    }
  }

  /** Whether the last operations found the database reachable. */
  public boolean isUp() {
    return up.get();
  }

  /**
   * Whether {@code e} says the connection or the server failed (as opposed to the server
   * refusing one statement): connection exceptions (SQLSTATE class 08), server shutting down or
   * starting (57P), out of resources (53), system errors (58), and the JDBC connection exception
   * types, anywhere in the chain.
   */
  public static boolean isConnectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
            || state.startsWith("58")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The first line of the exception and of its root cause: enough to see why, in one line. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    if (root == e) {
      return first;
    }
    return first + "; cause: " + root.getClass().getSimpleName() + ": "
        + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
  }
}

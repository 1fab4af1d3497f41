package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * The one way store threads reach the database: asks {@link StoreHealth} first (a store known to
 * be down answers EIO at once), takes a pooled connection, makes sure the schema is migrated
 * (once per store, the first time the database is reachable), runs the work and tells the health
 * what happened. Unreachability becomes an EIO reply; a statement the server refused is thrown
 * back so the caller can decide (the group committer isolates the mutation at fault).
 */
public final class ConnectionGate {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

  private final DataSource dataSource;
  private final StoreHealth health;
  private final int pageSize;
  private final Object schemaLock = new Object();
  private volatile boolean schemaReady;

  /**
   * @param dataSource the connection pool
   * @param health the store's health, shared with everything that uses this gate
   * @param pageSize the page size the schema must have been created with
   */
  public ConnectionGate(DataSource dataSource, StoreHealth health, int pageSize) {
    this.dataSource = dataSource;
    this.health = health;
    this.pageSize = pageSize;
  }

  /**
   * Runs {@code work} on a pooled connection (left in auto-commit; the work may change that, the
   * pool resets it). Returns EIO without trying when the store is known to be down.
   *
   * @throws SQLException the server refused a statement (the database itself is reachable)
   */
  public <R> Reply<R> run(SqlWork<R> work) throws SQLException {
    if (!health.mayTry()) {
      return Reply.error(Errno.EIO);
    }
    Connection c;
    try {
      c = open();
    } catch (SQLException e) {
      health.failed(e);
      return Reply.error(Errno.EIO);
    }
    try (c) {
      Reply<R> reply = work.run(c);
      health.succeeded();
      return reply;
    } catch (SQLException e) {
      if (StoreHealth.isConnectionFailure(e) || isClosed(c)) {
        health.failed(e);
        return Reply.error(Errno.EIO);
      }
      health.succeeded();
      throw e;
    }
  }

  /** Whether the schema has been checked or migrated by this store. */
  public boolean schemaReady() {
    return schemaReady;
  }

  private Connection open() throws SQLException {
    Connection c = dataSource.getConnection();
    if (!schemaReady) {
      try {
        synchronized (schemaLock) {
          if (!schemaReady) {
            int version = Schema.migrate(c, pageSize);
            schemaReady = true;
            LOG.info("Page store schema at version {} (page size {})", version, pageSize);
          }
        }
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}

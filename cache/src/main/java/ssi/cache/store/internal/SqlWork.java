package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import ssi.actors.lwkt.Reply;

/**
 * A piece of JDBC work on a connection the caller owns: a read, or one mutation inside a
 * group-commit transaction. Logical outcomes (ENOENT, EEXIST, ...) are returned as replies; an
 * {@link SQLException} means the database failed or refused the statement.
 *
 * @param <R> the reply's value type
 */
@FunctionalInterface
public interface SqlWork<R> {

  /** Does the work; must not commit, roll back or close {@code connection}. */
  Reply<R> run(Connection connection) throws SQLException;
}

package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The page store's tables and their migrations. A version table records which migrations ran;
 * every start applies the missing ones in one transaction under a PostgreSQL advisory lock, so
 * several nodes starting against one database at once migrate it exactly once. Migrations are
 * append-only: never edit one that has shipped, add the next.
 *
 * <p>The page size is recorded on first start; a store opened later with another
 * {@code ssi.page-size} is refused (its pages would be cut wrong).
 */
public final class Schema {

  /** The advisory lock key: "SSISTORE" in ASCII. */
  static final long LOCK_KEY = 0x5353_4953_544f_5245L;

  /**
   * 1: objects (with tombstones that keep the generation of deleted ids) and their pages.
   * 2: the namespace's directory entries and the object id sequence.
   */
  private static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "objects, pages, store properties", List.of(
          """
          CREATE TABLE ssi_objects (
            id         bigint  PRIMARY KEY,
            generation bigint  NOT NULL CHECK (generation >= 1),
            length     bigint  NOT NULL CHECK (length >= 0),
            mtime_us   bigint  NOT NULL,
            kind       text    NOT NULL,
            deleted    boolean NOT NULL DEFAULT false
          )""",
          """
          CREATE TABLE ssi_pages (
            object_id bigint NOT NULL REFERENCES ssi_objects (id),
            page_no   bigint NOT NULL CHECK (page_no >= 0),
            serial    bigint NOT NULL,
            data      bytea  NOT NULL,
            PRIMARY KEY (object_id, page_no)
          )""",
          """
          CREATE TABLE ssi_store_properties (
            name  text PRIMARY KEY,
            value text NOT NULL
          )""")),
      // The namespace (files module): one row per directory entry, object ids from a sequence
      // that starts above the ids people and tests pick by hand, and the root directory at the
      // well-known id 2^32 - 1 (NamespaceMutations.ROOT_ID), so raw object ids picked by hand
      // (tests, /ssi/objects/{id}/data) never collide with the namespace.
      new Migration(2, "namespace: directory entries, object id sequence, root directory",
          List.of(
          "CREATE SEQUENCE ssi_object_id_seq START WITH 4294967296",
          """
          CREATE TABLE ssi_dir_entries (
            dir_id     bigint NOT NULL,
            name       text   NOT NULL,
            child_id   bigint NOT NULL,
            generation bigint NOT NULL CHECK (generation >= 1),
            kind       text   NOT NULL,
            PRIMARY KEY (dir_id, name)
          )""",
          "CREATE INDEX ssi_dir_entries_child ON ssi_dir_entries (child_id)",
          """
          INSERT INTO ssi_objects (id, generation, length, mtime_us, kind)
          VALUES (4294967295, 1, 0, (extract(epoch FROM now()) * 1000000)::bigint, 'DIRECTORY')
          ON CONFLICT (id) DO NOTHING""")));

  private record Migration(int version, String description, List<String> statements) {
  }

  private Schema() {
  }

  /** The version the code expects. */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Brings the database to {@link #latestVersion()} and checks its page size; returns the
   * version. Leaves {@code c} in auto-commit.
   *
   * @throws SQLException the database failed, or holds a newer schema or another page size
   */
  public static int migrate(Connection c, int pageSize) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      st.execute("""
          CREATE TABLE IF NOT EXISTS ssi_schema_version (
            version     integer     PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
          )""");
      int current;
      try (ResultSet rs = st.executeQuery(
          "SELECT coalesce(max(version), 0) FROM ssi_schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > latestVersion()) {
        throw new SQLException("page store schema version " + current
            + " is newer than this code's " + latestVersion(), "55000");
      }
      for (Migration m : MIGRATIONS) {
        if (m.version() > current) {
          for (String sql : m.statements()) {
            st.execute(sql);
          }
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO ssi_schema_version (version, description) VALUES (?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.executeUpdate();
          }
        }
      }
      checkPageSize(c, pageSize);
      c.commit();
      return latestVersion();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the original failure is the one worth reporting
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // a broken connection; the pool discards it
      }
    }
  }

  private static void checkPageSize(Connection c, int pageSize) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO ssi_store_properties (name, value)"
        + " VALUES ('page-size', ?) ON CONFLICT (name) DO NOTHING")) {
      ins.setString(1, Integer.toString(pageSize));
      ins.executeUpdate();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT value FROM ssi_store_properties WHERE name = 'page-size'")) {
      rs.next();
      String stored = rs.getString(1);
      if (!stored.equals(Integer.toString(pageSize))) {
        throw new SQLException("page store was created with page size " + stored
            + ", this node has ssi.page-size = " + pageSize, "55000");
      }
    }
  }
}

package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.DirEntry;
import ssi.cache.store.ObjectKind;

/**
 * The SQL of the namespace: directory entries in {@code ssi_dir_entries} (migration 2) beside
 * the objects they name. Mutations run inside a group-commit transaction like {@link Mutations}:
 * preconditions are checked with queries that cannot fail, and nothing is changed when the answer
 * is an errno. Each mutation is one transaction, so a rename — also across directories — is
 * atomic: no reader sees the name in both places or in neither.
 *
 * <p>Concurrency between nodes rests on row locks: an operation inside directory D locks D's
 * object row {@code FOR SHARE}; removing D locks it {@code FOR UPDATE} and checks it is empty,
 * so a create in D and an rmdir of D are serialized by the database. A directory moved to another
 * directory takes a transaction-scoped advisory lock (like Linux's rename mutex) so two such moves
 * cannot together build a cycle.
 */
public final class NamespaceMutations {

  /** The root directory's well-known object id (created by migration 2, generation 1). */
  /** The root directory's object id. */
  public static final long ROOT_ID = ssi.cache.store.DirEntry.ROOT_DIRECTORY;

  /** Advisory lock serializing directory moves across directories: "SSIRENAM". */
  static final long RENAME_LOCK_KEY = 0x5353_4952_454e_414dL;

  private NamespaceMutations() {
  }

  /** A fresh cluster-unique object id from the sequence. */
  public static SqlWork<Long> nextId() {
    return c -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT nextval('ssi_object_id_seq')")) {
        rs.next();
        return Reply.ok(rs.getLong(1));
      }
    };
  }

  /** One entry: ESTALE for a stale directory, ENOTDIR, ENOENT for a missing name. */
  public static SqlWork<DirEntry> lookup(long dir, long dirGen, String name) {
    return c -> {
      Errno e = checkDir(c, dir, dirGen, "");
      if (e != Errno.OK) {
        return Reply.error(e);
      }
      DirEntry entry = entry(c, dir, name, "");
      return entry == null ? Reply.error(Errno.ENOENT) : Reply.ok(entry);
    };
  }

  /**
   * The entries of several directories in one statement, so in one snapshot (for readers that
   * must see a rename across directories atomically); stale or missing directories contribute
   * nothing.
   */
  public static SqlWork<List<DirEntry>> snapshot(List<Long> dirs) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT dir_id, name, child_id, generation,"
          + " kind FROM ssi_dir_entries WHERE dir_id = ANY (?) ORDER BY dir_id, name")) {
        ps.setArray(1, c.createArrayOf("bigint", dirs.toArray()));
        return Reply.ok(rows(ps));
      }
    };
  }

  /** A directory's entries by name. */
  public static SqlWork<List<DirEntry>> list(long dir, long dirGen) {
    return c -> {
      c.setAutoCommit(false); // the check and the list in one snapshot
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      }
      try {
        Errno e = checkDir(c, dir, dirGen, "");
        if (e != Errno.OK) {
          return Reply.error(e);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT dir_id, name, child_id,"
            + " generation, kind FROM ssi_dir_entries WHERE dir_id = ? ORDER BY name")) {
          ps.setLong(1, dir);
          return Reply.ok(rows(ps));
        }
      } finally {
        c.commit();
        c.setAutoCommit(true);
      }
    };
  }

  /**
   * Creates a new object of {@code kind} with a fresh id and its entry {@code name} in the
   * directory; EEXIST when the name is taken (nothing is created then).
   */
  public static SqlWork<DirEntry> create(long dir, long dirGen, String name, ObjectKind kind,
      Instant mtime) {
    return c -> {
      Errno e = checkDir(c, dir, dirGen, " FOR SHARE");
      if (e != Errno.OK) {
        return Reply.error(e);
      }
      if (entry(c, dir, name, "") != null) {
        return Reply.error(Errno.EEXIST);
      }
      long id = nextId().run(c).value();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ssi_dir_entries"
          + " (dir_id, name, child_id, generation, kind) VALUES (?, ?, ?, 1, ?)"
          + " ON CONFLICT (dir_id, name) DO NOTHING")) {
        ps.setLong(1, dir);
        ps.setString(2, name);
        ps.setLong(3, id);
        ps.setString(4, kind.name());
        if (ps.executeUpdate() == 0) {
          return Reply.error(Errno.EEXIST); // made meanwhile by another node's transaction
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ssi_objects"
          + " (id, generation, length, mtime_us, kind) VALUES (?, 1, 0, ?, ?)")) {
        ps.setLong(1, id);
        ps.setLong(2, Mutations.micros(mtime));
        ps.setString(3, kind.name());
        ps.executeUpdate();
      }
      return Reply.ok(new DirEntry(dir, name, id, 1, kind));
    };
  }

  /**
   * Removes the entry and deletes its object (there are no hard links). {@code kind} is what the
   * caller expects: FILE for unlink (EISDIR on a directory), DIRECTORY for rmdir (ENOTDIR on a
   * file, ENOTEMPTY when it has entries).
   */
  public static SqlWork<DirEntry> remove(long dir, long dirGen, String name, ObjectKind kind) {
    return c -> {
      Errno e = checkDir(c, dir, dirGen, " FOR SHARE");
      if (e != Errno.OK) {
        return Reply.error(e);
      }
      DirEntry entry = entry(c, dir, name, " FOR UPDATE");
      if (entry == null) {
        return Reply.error(Errno.ENOENT);
      }
      if (entry.kind() != kind) {
        return Reply.error(kind == ObjectKind.DIRECTORY ? Errno.ENOTDIR : Errno.EISDIR);
      }
      if (kind == ObjectKind.DIRECTORY && !emptyLocked(c, entry.childId())) {
        return Reply.error(Errno.ENOTEMPTY);
      }
      deleteEntry(c, entry);
      return Reply.ok(entry);
    };
  }

  /**
   * Renames {@code srcDir/srcName} to {@code dstDir/dstName} in one transaction, replacing a
   * destination of the same kind (an empty directory, or a file) as POSIX rename does. ENOENT:
   * no source; ENOTDIR/EISDIR: kinds differ; ENOTEMPTY: the destination directory has entries;
   * EINVAL: a directory would move into itself or below itself.
   */
  public static SqlWork<DirEntry> rename(long srcDir, long srcGen, String srcName, long dstDir,
      long dstGen, String dstName) {
    return c -> {
      // Lock the directories in id order so two renames between the same two never deadlock.
      long first = Math.min(srcDir, dstDir);
      long second = Math.max(srcDir, dstDir);
      Errno e = checkDir(c, first, first == srcDir ? srcGen : dstGen, " FOR SHARE");
      if (e == Errno.OK && second != first) {
        e = checkDir(c, second, second == srcDir ? srcGen : dstGen, " FOR SHARE");
      }
      if (e != Errno.OK) {
        return Reply.error(e);
      }
      DirEntry src = entry(c, srcDir, srcName, " FOR UPDATE");
      if (src == null) {
        return Reply.error(Errno.ENOENT);
      }
      if (srcDir == dstDir && srcName.equals(dstName)) {
        return Reply.ok(src);
      }
      if (src.kind() == ObjectKind.DIRECTORY && srcDir != dstDir) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_xact_lock(" + RENAME_LOCK_KEY + ")");
        }
        if (isAncestorOrSelf(c, src.childId(), dstDir)) {
          return Reply.error(Errno.EINVAL);
        }
      }
      DirEntry dst = entry(c, dstDir, dstName, " FOR UPDATE");
      if (dst != null) {
        if (dst.childId() == src.childId()) {
          return Reply.ok(src);
        }
        if (dst.kind() != src.kind()) {
          return Reply.error(src.kind() == ObjectKind.DIRECTORY ? Errno.ENOTDIR : Errno.EISDIR);
        }
        if (dst.kind() == ObjectKind.DIRECTORY && !emptyLocked(c, dst.childId())) {
          return Reply.error(Errno.ENOTEMPTY);
        }
        deleteEntry(c, dst);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE ssi_dir_entries"
          + " SET dir_id = ?, name = ? WHERE dir_id = ? AND name = ?")) {
        ps.setLong(1, dstDir);
        ps.setString(2, dstName);
        ps.setLong(3, srcDir);
        ps.setString(4, srcName);
        ps.executeUpdate();
      }
      return Reply.ok(new DirEntry(dstDir, dstName, src.childId(), src.generation(), src.kind()));
    };
  }

  /** OK for a live directory of that generation; ESTALE, or ENOTDIR for another kind. */
  private static Errno checkDir(Connection c, long dir, long gen, String lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation, kind FROM ssi_objects"
        + " WHERE id = ? AND NOT deleted" + lock)) {
      ps.setLong(1, dir);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getLong(1) != gen) {
          return Errno.ESTALE;
        }
        return ObjectKind.DIRECTORY.name().equals(rs.getString(2)) ? Errno.OK : Errno.ENOTDIR;
      }
    }
  }

  private static DirEntry entry(Connection c, long dir, String name, String lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT dir_id, name, child_id, generation,"
        + " kind FROM ssi_dir_entries WHERE dir_id = ? AND name = ?" + lock)) {
      ps.setLong(1, dir);
      ps.setString(2, name);
      List<DirEntry> rows = rows(ps);
      return rows.isEmpty() ? null : rows.get(0);
    }
  }

  /** Locks the directory object for update (no create in it can overlap) and checks it empty. */
  private static boolean emptyLocked(Connection c, long dir) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM ssi_objects WHERE id = ? FOR UPDATE")) {
      ps.setLong(1, dir);
      ps.executeQuery().close();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM ssi_dir_entries WHERE dir_id = ? LIMIT 1")) {
      ps.setLong(1, dir);
      try (ResultSet rs = ps.executeQuery()) {
        return !rs.next();
      }
    }
  }

  /** Whether {@code moved} is {@code dir} or one of its ancestors (walking parent entries). */
  private static boolean isAncestorOrSelf(Connection c, long moved, long dir) throws SQLException {
    long at = dir;
    for (int depth = 0; depth < 4096 && at != ROOT_ID; depth++) {
      if (at == moved) {
        return true;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT dir_id FROM ssi_dir_entries WHERE child_id = ? LIMIT 1")) {
        ps.setLong(1, at);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          at = rs.getLong(1);
        }
      }
    }
    return at == moved;
  }

  private static void deleteEntry(Connection c, DirEntry entry) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM ssi_dir_entries WHERE dir_id = ? AND name = ?")) {
      ps.setLong(1, entry.dirId());
      ps.setString(2, entry.name());
      ps.executeUpdate();
    }
    Mutations.delete(entry.childId()).run(c); // ENOENT (already gone) changes nothing
  }

  private static List<DirEntry> rows(PreparedStatement ps) throws SQLException {
    List<DirEntry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new DirEntry(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
            ObjectKind.valueOf(rs.getString(5))));
      }
    }
    return List.copyOf(out);
  }
}

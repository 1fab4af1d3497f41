package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;
import ssi.cache.store.Page;

/**
 * The SQL of each mutation, run by the {@link GroupCommitter} inside a batch transaction. Each
 * checks its preconditions with queries that cannot fail (so a logical error such as ENOENT
 * leaves the batch's transaction usable) and changes nothing when it answers with an errno.
 * Arguments were validated by the caller.
 */
public final class Mutations {

  private Mutations() {
  }

  /** Creates an object (generation 1, or the tombstone's generation + 1); EEXIST if live. */
  public static SqlWork<ObjectMeta> create(long id, ObjectKind kind, Instant mtime) {
    return c -> {
      long mtimeUs = micros(mtime);
      long generation;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT generation, deleted FROM ssi_objects WHERE id = ? FOR UPDATE")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            generation = 0;
          } else if (!rs.getBoolean(2)) {
            return Reply.error(Errno.EEXIST);
          } else {
            generation = rs.getLong(1);
          }
        }
      }
      if (generation == 0) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ssi_objects"
            + " (id, generation, length, mtime_us, kind) VALUES (?, 1, 0, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING")) {
          ps.setLong(1, id);
          ps.setLong(2, mtimeUs);
          ps.setString(3, kind.name());
          if (ps.executeUpdate() == 0) {
            return Reply.error(Errno.EEXIST); // created meanwhile through another node
          }
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ssi_objects SET generation = ?,"
            + " length = 0, mtime_us = ?, kind = ?, deleted = false WHERE id = ?")) {
          ps.setLong(1, generation + 1);
          ps.setLong(2, mtimeUs);
          ps.setString(3, kind.name());
          ps.setLong(4, id);
          ps.executeUpdate();
        }
      }
      return Reply.ok(new ObjectMeta(id, generation + 1, 0, mtime, kind));
    };
  }

  /** Deletes an object's pages and leaves a tombstone that remembers its generation. */
  public static SqlWork<Void> delete(long id) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE ssi_objects SET deleted = true WHERE id = ? AND NOT deleted")) {
        ps.setLong(1, id);
        if (ps.executeUpdate() == 0) {
          return Reply.error(Errno.ENOENT);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM ssi_pages WHERE object_id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      return Reply.ok(null);
    };
  }

  /** Writes pages (insert or replace, serial included); ENOENT for an unknown object. */
  public static SqlWork<Void> write(long id, List<Page> pages) {
    return c -> {
      if (lockLive(c, id, false) == null) {
        return Reply.error(Errno.ENOENT);
      }
      if (pages.isEmpty()) {
        return Reply.ok(null);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ssi_pages"
          + " (object_id, page_no, serial, data) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (object_id, page_no)"
          + " DO UPDATE SET serial = EXCLUDED.serial, data = EXCLUDED.data")) {
        for (Page p : pages) {
          ps.setLong(1, id);
          ps.setLong(2, p.number());
          ps.setLong(3, p.serial());
          ps.setBytes(4, p.data());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return Reply.ok(null);
    };
  }

  /** Sets length and mtime; shrinking drops pages past the end and zeroes the last one's tail. */
  public static SqlWork<ObjectMeta> setLength(long id, long length, Instant mtime, int pageSize) {
    return c -> {
      ObjectMeta old = lockLive(c, id, true);
      if (old == null) {
        return Reply.error(Errno.ENOENT);
      }
      updateLength(c, id, length, mtime);
      if (length < old.length()) {
        long firstGone = Math.floorDiv(length, pageSize) + (length % pageSize == 0 ? 0 : 1);
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM ssi_pages WHERE object_id = ? AND page_no >= ?")) {
          ps.setLong(1, id);
          ps.setLong(2, firstGone);
          ps.executeUpdate();
        }
        int keep = (int) (length % pageSize);
        if (keep != 0) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE ssi_pages"
              + " SET data = substring(data FROM 1 FOR ?) || ?, serial = serial + 1"
              + " WHERE object_id = ? AND page_no = ?")) {
            ps.setInt(1, keep);
            ps.setBytes(2, new byte[pageSize - keep]);
            ps.setLong(3, id);
            ps.setLong(4, length / pageSize);
            ps.executeUpdate();
          }
        }
      }
      return Reply.ok(new ObjectMeta(id, old.generation(), length, mtime, old.kind()));
    };
  }

  /**
   * Raises the length to at least {@code atLeast} (never lowers it) and sets the mtime: what a
   * write that may extend the file commits, so writers of disjoint ranges running at once never
   * undo each other's extension.
   */
  public static SqlWork<ObjectMeta> extendLength(long id, long atLeast, Instant mtime) {
    return c -> {
      ObjectMeta old = lockLive(c, id, true);
      if (old == null) {
        return Reply.error(Errno.ENOENT);
      }
      long length = Math.max(old.length(), atLeast);
      updateLength(c, id, length, mtime);
      return Reply.ok(new ObjectMeta(id, old.generation(), length, mtime, old.kind()));
    };
  }

  private static void updateLength(Connection c, long id, long length, Instant mtime)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE ssi_objects SET length = ?, mtime_us = ? WHERE id = ?")) {
      ps.setLong(1, length);
      ps.setLong(2, micros(mtime));
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /** A flush: nothing to write, it only has to be in a batch that commits. */
  public static SqlWork<Void> barrier() {
    return c -> Reply.ok(null);
  }

  /** The live object's attributes, locked for the transaction; null if there is none. */
  private static ObjectMeta lockLive(Connection c, long id, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation, length, mtime_us, kind"
        + " FROM ssi_objects WHERE id = ? AND NOT deleted"
        + (forUpdate ? " FOR UPDATE" : " FOR SHARE"))) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Reads.meta(id, rs) : null;
      }
    }
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}

package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.ObjectMeta;
import ssi.cache.store.Page;

/** The SQL of each read, run in auto-commit on a pooled connection. Arguments were validated. */
public final class Reads {

  private Reads() {
  }

  /** A live object's attributes; ENOENT if there is none. */
  public static SqlWork<ObjectMeta> object(long id) {
    return c -> {
      ObjectMeta meta = live(c, id);
      return meta == null ? Reply.error(Errno.ENOENT) : Reply.ok(meta);
    };
  }

  /** One page, a hole reading as zeros with serial 0; ENOENT for an unknown object. */
  public static SqlWork<Page> page(long id, long number, int pageSize) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT p.serial, p.data FROM ssi_objects o"
          + " LEFT JOIN ssi_pages p ON p.object_id = o.id AND p.page_no = ?"
          + " WHERE o.id = ? AND NOT o.deleted")) {
        ps.setLong(1, number);
        ps.setLong(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Reply.error(Errno.ENOENT);
          }
          byte[] data = rs.getBytes(2);
          return Reply.ok(data == null
              ? Page.hole(number, pageSize) : new Page(number, rs.getLong(1), data));
        }
      }
    };
  }

  /** The stored pages among {@code count} from {@code first}, in order; ENOENT if unknown. */
  public static SqlWork<List<Page>> pages(long id, long first, int count) {
    return c -> {
      if (live(c, id) == null) {
        return Reply.error(Errno.ENOENT);
      }
      long end = first > Long.MAX_VALUE - count ? Long.MAX_VALUE : first + count;
      List<Page> pages = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT page_no, serial, data FROM ssi_pages"
          + " WHERE object_id = ? AND page_no >= ? AND page_no < ? ORDER BY page_no")) {
        ps.setLong(1, id);
        ps.setLong(2, first);
        ps.setLong(3, end);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            pages.add(new Page(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
          }
        }
      }
      return Reply.ok(List.copyOf(pages));
    };
  }

  private static ObjectMeta live(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation, length, mtime_us, kind"
        + " FROM ssi_objects WHERE id = ? AND NOT deleted")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? meta(id, rs) : null;
      }
    }
  }

  /** Reads (generation, length, mtime_us, kind) from the current row. */
  static ObjectMeta meta(long id, ResultSet rs) throws SQLException {
    return new ObjectMeta(id, rs.getLong(1), rs.getLong(2),
        Instant.EPOCH.plus(rs.getLong(3), ChronoUnit.MICROS), ObjectKind.valueOf(rs.getString(4)));
  }
}

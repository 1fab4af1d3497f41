package ssi.cache;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code ssi.cache} settings (documented in this module's {@code reference.conf}).
 *
 * @param mei {@code ssi.cache.protocol = MEI}: no shared state, every read takes ownership
 * @param pageSize {@code ssi.page-size}
 * @param maxBytes the node page cache's memory bound; past it clean and then dirty pages are evicted
 * @param writeBackInterval how often M pages are written back (kept in E)
 * @param writeThrough every write is flushed synchronously before it completes
 * @param passivateAfter an object's directory idle this long stops (its records are rebuilt from
 *     the nodes when it starts again)
 * @param requestTimeout a directory request (a miss) fails with ETIMEDOUT after this long
 * @param maxRecordsPerObject the bound on one directory's page records
 * @param resendAfter a request to a directory unanswered this long is sent again (same
 *     transaction; the directory drops copies)
 * @param maxImagePages clean pages one backing store keeps loaded beyond those its directory's
 *     records name (dropped pages load again when a message names them)
 */
public record CacheSettings(boolean mei, int pageSize, long maxBytes, Duration writeBackInterval,
    boolean writeThrough, Duration passivateAfter, Duration requestTimeout,
    int maxRecordsPerObject, Duration resendAfter, int maxImagePages) {

  /** Reads {@code ssi.cache} and {@code ssi.page-size}. */
  public static CacheSettings from(Config config) {
    Config c = config.getConfig("ssi.cache");
    String protocol = c.getString("protocol");
    if (!protocol.equals("MESI") && !protocol.equals("MEI")) {
      throw new IllegalArgumentException("ssi.cache.protocol must be MESI or MEI, got " + protocol);
    }
    return new CacheSettings(protocol.equals("MEI"), config.getInt("ssi.page-size"),
        c.getBytes("max-bytes"), c.getDuration("write-back-interval"),
        c.getBoolean("write-through"), c.getDuration("passivate-after"),
        c.getDuration("request-timeout"), c.getInt("max-records-per-object"),
        c.getDuration("resend-after"), c.getInt("max-image-pages"));
  }
}

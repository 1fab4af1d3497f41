package ssi.files;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The files module's settings ({@code ssi.files.*}, documented in its reference.conf).
 *
 * @param askTimeout how long a caller waits for a directory's or a lock server's reply, and for
 *     a range lock
 * @param passivateAfter idle time after which a directory or file entity stops
 * @param maxIoBytes the largest single read or write through the file API
 * @param zeroChunk bytes zeroed per page-cache write when a truncate clears a file's old tail
 * @param lockLease how long a lock server waits for a revoked extent (or a recovery answer)
 *     before it lets it go anyway
 * @param extentIdle how long a node keeps a granted extent nobody uses before giving it back
 * @param maxCachedExtents the most extents of one file a node keeps cached
 * @param attributeWriteBack how often a node commits the lengths it defers
 */
public record FilesSettings(Duration askTimeout, Duration passivateAfter, int maxIoBytes,
    int zeroChunk, Duration lockLease, Duration extentIdle, int maxCachedExtents,
    Duration attributeWriteBack) {

  /** Reads {@code ssi.files.*}. */
  public static FilesSettings from(Config config) {
    Config c = config.getConfig("ssi.files");
    return new FilesSettings(c.getDuration("ask-timeout"), c.getDuration("passivate-after"),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-io-bytes")),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("zero-chunk")),
        c.getDuration("lock-lease"), c.getDuration("extent-idle"),
        c.getInt("max-cached-extents"), c.getDuration("attribute-write-back"));
  }
}

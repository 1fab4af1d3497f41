package ssi.files;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The files module's settings ({@code ssi.files.*}, documented in its reference.conf).
 *
 * @param askTimeout how long a caller waits for a directory or file entity's reply
 * @param passivateAfter idle time after which a directory or file entity stops
 * @param maxIoBytes the largest single read or write through the file API
 * @param zeroChunk bytes zeroed per page-cache write when a truncate clears a file's old tail
 * @param lockLease the longest a reader's shared range lock is kept without its unlock
 * @param messageChunk the most data one write or append message carries to a file's entity
 */
public record FilesSettings(Duration askTimeout, Duration passivateAfter, int maxIoBytes,
    int zeroChunk, Duration lockLease, int messageChunk) {

  /** Reads {@code ssi.files.*}. */
  public static FilesSettings from(Config config) {
    Config c = config.getConfig("ssi.files");
    return new FilesSettings(c.getDuration("ask-timeout"), c.getDuration("passivate-after"),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-io-bytes")),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("zero-chunk")),
        c.getDuration("lock-lease"),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("message-chunk")));
  }
}

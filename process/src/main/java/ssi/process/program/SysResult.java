package ssi.process.program;

import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;

/**
 * The result of a {@link Syscall}: an errno, the bytes read (for reads), a number (bytes written,
 * a region), and {@code eof} when a read found the end of its stream. It crosses nodes inside a
 * migrating process's image when the process paused right after a call returned.
 */
public record SysResult(Errno errno, byte[] data, long value, boolean eof) implements SsiMessage {

  private static final byte[] NONE = new byte[0];

  /** The result handed to a program's first step. */
  public static final SysResult START = new SysResult(Errno.OK, NONE, 0, false);

  /** Success with a number. */
  public static SysResult ok(long value) {
    return new SysResult(Errno.OK, NONE, value, false);
  }

  /** Success with bytes. */
  public static SysResult data(byte[] data) {
    return new SysResult(Errno.OK, data, data.length, false);
  }

  /** End of file: a read that found no more data and no writer left. */
  public static SysResult endOfFile() {
    return new SysResult(Errno.OK, NONE, 0, true);
  }

  /** A failure. */
  public static SysResult error(Errno errno) {
    return new SysResult(errno, NONE, -1, false);
  }

  /** Whether the call succeeded. */
  public boolean ok() {
    return errno == Errno.OK;
  }
}

package ssi.process.fd;

import ssi.actors.SsiMessage;

/**
 * A driver's answer to an {@link FdOp}: bytes read, a count, end of file, or — from the stub a
 * moved driver leaves behind — the node it moved to ({@code movedTo}), in which case nothing was
 * done and the sender re-sends there.
 */
public record FdResult(byte[] data, long value, boolean eof, String movedTo) implements SsiMessage {

  private static final byte[] NONE = new byte[0];

  /** Bytes read. */
  public static FdResult data(byte[] data) {
    return new FdResult(data, data.length, false, null);
  }

  /** A count (bytes written). */
  public static FdResult count(long n) {
    return new FdResult(NONE, n, false, null);
  }

  /** End of file. */
  public static FdResult endOfFile() {
    return new FdResult(NONE, 0, true, null);
  }

  /**
   * The driver is now on {@code node}: re-send there. {@code gen} (in {@code value}) is the
   * incarnation of the driver there, so a pipe end can tell an old answer from a newer notice.
   */
  public static FdResult moved(String node, long gen) {
    return new FdResult(NONE, gen, false, node);
  }
}

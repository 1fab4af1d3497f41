package ssi.cache.coherence;

import java.util.Arrays;
import ssi.actors.SsiMessage;

/**
 * One page's contents and serial number. The serial is bumped by every modification, so two
 * copies with the same serial hold the same bytes (revalidation compares serials, not bytes).
 *
 * @param serial the page's modification count (0 = never written)
 * @param bytes the page, exactly {@code ssi.page-size} bytes
 */
public record PageData(long serial, byte[] bytes) implements SsiMessage {

  @Override
  public boolean equals(Object o) {
    return o instanceof PageData p && p.serial == serial && Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(serial) * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PageData[serial=" + serial + ", " + bytes.length + " bytes]";
  }
}

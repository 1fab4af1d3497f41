package ssi.cache.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One page of a VM object: its number, its serial (bumped by the writer on every modification,
 * so a cache can revalidate a copy without the data) and exactly {@code ssi.page-size} bytes.
 * Immutable: the bytes are copied in, and {@link #data()} hands out a copy; {@link #buffer()} is
 * a read-only view without the copy.
 *
 * @param number the page number, 0-based ({@code offset / page-size})
 * @param serial the modification serial; 0 for a page never written (a hole)
 * @param data the page's bytes
 */
public record Page(long number, long serial, byte[] data) {

  /** Copies {@code data} so the page cannot change under its readers. */
  public Page {
    data = data.clone();
  }

  /** A hole: a page never written, which reads as zeros. */
  public static Page hole(long number, int pageSize) {
    return new Page(number, 0, new byte[pageSize]);
  }

  /** A copy of the page's bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** A read-only view of the page's bytes. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** The number of bytes (the page size the page was made with). */
  public int size() {
    return data.length;
  }

  /** Pages are equal when number, serial and bytes are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Page p && p.number == number && p.serial == serial
        && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number) * 31 + Long.hashCode(serial) * 17 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Page[number=" + number + ", serial=" + serial + ", size=" + data.length + "]";
  }
}

package ssi.files.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of big writes and appends arriving at a {@link FileObject} in parts ({@link
 * FileObject.Stage}): an Artery message is at most a frame (256 KiB by default), a write up to
 * {@code ssi.files.max-io-bytes}. The operation itself comes after its parts and takes them;
 * parts whose operation never comes (its sender died) are dropped after the lease. Touched only
 * by the entity.
 */
final class Staging {

  private static final class Parts {
    final List<byte[]> parts = new ArrayList<>();
    long touchedNanos;
    boolean broken;
  }

  private final Map<Long, Parts> byId = new HashMap<>();

  void add(long id, int part, byte[] data, long nowNanos) {
    Parts p = byId.computeIfAbsent(id, k -> new Parts());
    p.broken |= part != p.parts.size(); // out of order or missing: the operation will fail
    p.parts.add(data);
    p.touchedNanos = nowNanos;
  }

  /**
   * The whole data of an operation: its {@code parts} staged parts, then {@code last}; null
   * when parts are missing. {@code id} 0: nothing was staged.
   */
  byte[] assemble(long id, int parts, byte[] last) {
    if (id == 0) {
      return last;
    }
    Parts p = byId.remove(id);
    if (p == null || p.broken || p.parts.size() != parts) {
      return null;
    }
    int n = last.length;
    for (byte[] b : p.parts) {
      n += b.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] b : p.parts) {
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
    }
    System.arraycopy(last, 0, out, at, last.length);
    return out;
  }

  /** Drops parts not touched for {@code maxAgeNanos}. */
  void expire(long nowNanos, long maxAgeNanos) {
    byId.values().removeIf(p -> nowNanos - p.touchedNanos > maxAgeNanos);
  }
}

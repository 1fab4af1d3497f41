package ssi.files.http;

import java.util.Optional;

/**
 * The query parameters of a read or write: {@code offset=N} (default 0), {@code length=N} (reads
 * only) and {@code append=true} (writes only). Numbers are plain decimal digits; a sign, a
 * fraction, anything past {@code Long.MAX_VALUE} or an offset + length that overflows is refused.
 *
 * @param offset where to read or write; null when not given
 * @param length how much to read; null when not given
 * @param append whether a write appends
 */
record IoParams(Long offset, Long length, boolean append) {

  /** What a write does. */
  enum WriteMode {
    /** No offset, no append: the body replaces the contents (truncate, then write). */
    REPLACE,
    /** {@code offset=N}: write at N, the rest of the file unchanged. */
    AT,
    /** {@code append=true}: write at the end, atomically. */
    APPEND
  }

  /** Either parameters or why they are bad. */
  record Parsed(IoParams params, String error) {
  }

  /** The offset, 0 when not given. */
  long offsetOr0() {
    return offset == null ? 0 : offset;
  }

  /** How a write with these parameters writes. */
  WriteMode writeMode() {
    return append ? WriteMode.APPEND : offset != null ? WriteMode.AT : WriteMode.REPLACE;
  }

  /** Parses the raw parameters; {@code limit} bounds {@code length}. */
  static Parsed parse(Optional<String> offset, Optional<String> length, Optional<String> append,
      long limit) {
    Long off = null;
    Long len = null;
    if (offset.isPresent()) {
      off = number(offset.get());
      if (off == null) {
        return bad("offset must be a decimal number 0.." + Long.MAX_VALUE + ", got '"
            + offset.get() + "'");
      }
    }
    if (length.isPresent()) {
      len = number(length.get());
      if (len == null || len > limit) {
        return bad("length must be a decimal number 0.." + limit + ", got '" + length.get()
            + "'");
      }
    }
    if (off != null && len != null && off > Long.MAX_VALUE - len) {
      return bad("offset + length overflows");
    }
    boolean app = false;
    if (append.isPresent()) {
      if (!append.get().equals("true") && !append.get().equals("false")) {
        return bad("append must be true or false, got '" + append.get() + "'");
      }
      app = append.get().equals("true");
    }
    if (app && off != null) {
      return bad("offset and append=true exclude each other");
    }
    return new Parsed(new IoParams(off, len, app), null);
  }

  private static Parsed bad(String why) {
    return new Parsed(null, why);
  }

  /** A non-negative decimal long, or null. */
  private static Long number(String text) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null; // 19 digits past Long.MAX_VALUE
    }
  }
}

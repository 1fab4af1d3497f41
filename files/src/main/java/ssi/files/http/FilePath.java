package ssi.files.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import ssi.files.namespace.Names;

/**
 * A namespace path taken from the rest of a request path, as the router hands it over (each
 * segment still percent-encoded). Refused, before anything is looked up: an encoded slash or
 * backslash, a NUL, bad percent-encoding or UTF-8, empty components ({@code a//b}), {@code .}
 * and {@code ..} (no traversal, not even one that would stay inside the tree), names over
 * {@value Names#MAX_NAME_BYTES} bytes.
 *
 * @param parts the decoded components (empty: the root)
 * @param directory whether the request path ended with {@code /} (a listing)
 */
record FilePath(List<String> parts, boolean directory) {

  /** The path as the namespace takes it: {@code /a/b}, or {@code /} for the root. */
  String text() {
    return "/" + String.join("/", parts);
  }

  /** Either a path or why the text is not one. */
  record Parsed(FilePath path, String error) {
  }

  /**
   * Whether a raw request target ({@code /ssi/files/a/../b?x}) has a {@code .} or {@code ..}
   * segment, also percent-encoded. The server collapses them before routing, so this looks at
   * the {@code Raw-Request-URI} header ({@code akka.http.server.raw-request-uri-header = on}).
   */
  static boolean hasDotSegment(String rawTarget) {
    int q = rawTarget.indexOf('?');
    String p = q < 0 ? rawTarget : rawTarget.substring(0, q);
    for (String seg : p.split("/", -1)) {
      String s = seg.toLowerCase(java.util.Locale.ROOT).replace("%2e", ".");
      if (s.equals(".") || s.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Parses {@code rest}: empty or {@code /}-led, e.g. {@code /docs/read%20me}. */
  static Parsed parse(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      return new Parsed(new FilePath(List.of(), true), null);
    }
    if (!rest.startsWith("/")) {
      return new Parsed(null, "bad path");
    }
    boolean dir = rest.endsWith("/");
    String body = rest.substring(1, dir ? rest.length() - 1 : rest.length());
    List<String> parts = new ArrayList<>();
    for (String raw : body.split("/", -1)) {
      String lower = raw.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("%2f") || lower.contains("%5c")) {
        return new Parsed(null, "encoded slash in path component '" + raw + "'");
      }
      String name = decode(raw);
      if (name == null) {
        return new Parsed(null, "bad percent-encoding or UTF-8 in '" + raw + "'");
      }
      if (name.indexOf('\0') >= 0) {
        return new Parsed(null, "NUL in path component");
      }
      if (!Names.valid(name)) {
        return new Parsed(null, "bad path component '" + raw + "' (empty, '.', '..' or over "
            + Names.MAX_NAME_BYTES + " bytes)");
      }
      parts.add(name);
    }
    return new Parsed(new FilePath(List.copyOf(parts), dir), null);
  }

  /** Percent-decodes one segment ({@code +} stays a plus); null when malformed. */
  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}

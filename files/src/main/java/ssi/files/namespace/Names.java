package ssi.files.namespace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Name and path rules of the namespace: what is a valid entry name, how a path splits. */
public final class Names {

  /** The longest name, in UTF-8 bytes (as NAME_MAX). */
  public static final int MAX_NAME_BYTES = 255;

  private Names() {
  }

  /**
   * Whether {@code name} may name an entry: not empty, not {@code .} or {@code ..}, no {@code /}
   * nor NUL, at most {@value #MAX_NAME_BYTES} UTF-8 bytes.
   */
  public static boolean valid(String name) {
    return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
        && name.indexOf('/') < 0 && name.indexOf('\0') < 0
        && name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
  }

  /**
   * The components of an absolute or relative path ({@code /a/b}, {@code a/b}, a trailing
   * {@code /} allowed; {@code /} alone is the root, no components); empty when any component is
   * invalid (an empty one from {@code //}, {@code .}, {@code ..}, too long).
   */
  public static Optional<List<String>> split(String path) {
    if (path == null) {
      return Optional.empty();
    }
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return Optional.of(List.of());
    }
    List<String> parts = new ArrayList<>();
    for (String s : p.split("/", -1)) {
      if (!valid(s)) {
        return Optional.empty();
      }
      parts.add(s);
    }
    return Optional.of(List.copyOf(parts));
  }
}

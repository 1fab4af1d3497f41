package ssi.node.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks a {@code --node} value: an {@code http} or {@code https} URL with a host (a trailing
 * slash is dropped). Anything else is a usage error with a clear message (exit 64), not a stack
 * trace from the HTTP client later.
 */
final class NodeUrl implements ITypeConverter<String> {

  @Override
  public String convert(String value) {
    try {
      URI uri = new URI(value.trim());
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException(value, "not an http(s) URL with a host");
      }
      return value.trim().replaceAll("/+$", "");
    } catch (URISyntaxException e) {
      throw new TypeConversionException("'" + value + "' is not a node's management URL: give"
          + " one like http://127.0.0.1:8558");
    }
  }
}

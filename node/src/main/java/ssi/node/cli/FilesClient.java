package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import ssi.cluster.http.SsiJson;

/**
 * A client of one node's {@code /ssi/files} routes, for the file commands. Paths are encoded
 * component by component; a non-2xx answer becomes a {@link Failure} carrying the node's JSON
 * error.
 */
final class FilesClient {

  /** How much one request reads or writes (below the default {@code ssi.http.max-body}). */
  static final int CHUNK = 4 * 1024 * 1024;

  /** No node answered (exit 2 in the commands). */
  static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The node refused or failed a request (exit 1 in the commands). */
  static final class Failure extends IOException {
    final int status;

    Failure(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  FilesClient(String base, String token) {
    this.base = base;
    this.token = token == null || token.isBlank() ? null : token;
  }

  String node() {
    return base;
  }

  /** The stat of a path (file or directory). */
  JsonNode stat(String path) throws IOException {
    return SsiJson.MAPPER.readTree(send("GET", url(path, false) + "?stat", null));
  }

  /** The listing of a directory. */
  JsonNode list(String path) throws IOException {
    return SsiJson.MAPPER.readTree(send("GET", url(path, true), null));
  }

  /** Up to {@code length} bytes at {@code offset}. */
  byte[] read(String path, long offset, int length) throws IOException {
    return send("GET", url(path, false) + "?offset=" + offset + "&length=" + length, null);
  }

  /** A PUT of {@code body}; {@code query} is empty (replace), {@code offset=N} or {@code append=true}. */
  JsonNode write(String path, String query, byte[] body) throws IOException {
    String q = query.isEmpty() ? "" : "?" + query;
    return SsiJson.MAPPER.readTree(send("PUT", url(path, false) + q, body));
  }

  private String url(String path, boolean directory) {
    StringBuilder sb = new StringBuilder(base).append("/ssi/files");
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        sb.append('/').append(encode(part));
      }
    }
    if (directory || sb.toString().endsWith("/ssi/files")) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** Percent-encodes one path component (everything but unreserved characters). */
  static String encode(String part) {
    StringBuilder sb = new StringBuilder();
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  private byte[] send(String method, String url, byte[] body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw new Unreachable("cannot reach the cluster at " + base + ": "
          + ClusterCommand.describe(e), e);
    }
    if (r.statusCode() / 100 != 2) {
      String message;
      try {
        message = SsiJson.MAPPER.readTree(r.body()).path("error").asText();
      } catch (IOException e) {
        message = new String(r.body(), StandardCharsets.UTF_8);
      }
      throw new Failure(r.statusCode(), message + " (HTTP " + r.statusCode() + ")");
    }
    return r.body();
  }
}

package ssi.multijvm.coherence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import ssi.multijvm.harness.NodeProcess;

/**
 * Raw bytes over a node's cache routes ({@code /ssi/objects/{id}/data}, {@code .../fsync},
 * {@code .../coherence}); the harness's {@code Http} speaks text, these routes speak bytes.
 */
final class CacheHttp {

  /** {@code ssi.page-size}, the default every test node runs with. */
  static final int PAGE = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** A response with its raw body. */
  record Raw(int status, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 200 ? text().substring(0, 200) + "..." : text());
    }
  }

  static String dataUrl(NodeProcess n, String obj) {
    return n.baseUrl() + "/ssi/objects/" + obj + "/data";
  }

  Raw send(String method, String url, HttpRequest.BodyPublisher body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/octet-stream")
        .method(method, body).build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Raw(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  Raw get(String url) throws IOException {
    return send("GET", url, HttpRequest.BodyPublishers.noBody());
  }

  /** PUT {@code bytes} at {@code offset} through node {@code n}. */
  Raw put(NodeProcess n, long obj, long offset, byte[] bytes) throws IOException {
    return send("PUT", dataUrl(n, Long.toString(obj)) + "?offset=" + offset,
        HttpRequest.BodyPublishers.ofByteArray(bytes));
  }

  /** PUT that must succeed, answering what the route promised. */
  void write(NodeProcess n, long obj, long offset, byte[] bytes) throws IOException {
    Raw r = put(n, obj, offset, bytes);
    if (r.status() != 200) {
      throw new AssertionError("PUT " + obj + "@" + offset + " via " + n.name() + ": " + r);
    }
    JsonNode j = r.json();
    if (j.path("object").asLong() != obj || j.path("offset").asLong() != offset
        || j.path("written").asInt() != bytes.length) {
      throw new AssertionError("PUT answered " + j);
    }
  }

  /** GET that must succeed: {@code length} bytes at {@code offset} through node {@code n}. */
  byte[] read(NodeProcess n, long obj, long offset, int length) throws IOException {
    Raw r = get(dataUrl(n, Long.toString(obj)) + "?offset=" + offset + "&length=" + length);
    if (r.status() != 200) {
      throw new AssertionError("GET " + obj + "@" + offset + "+" + length + " via " + n.name()
          + ": " + r);
    }
    if (r.body().length != length) {
      throw new AssertionError("GET returned " + r.body().length + " bytes, asked " + length);
    }
    return r.body();
  }

  /** fsync through node {@code n}: its M pages of {@code obj} are committed when this returns. */
  Raw fsync(NodeProcess n, long obj) throws IOException {
    return send("POST", n.baseUrl() + "/ssi/objects/" + obj + "/fsync",
        HttpRequest.BodyPublishers.noBody());
  }

  /** {@code GET /ssi/objects/{id}/coherence} through node {@code n}. */
  JsonNode coherence(NodeProcess n, long obj) throws IOException {
    Raw r = get(n.baseUrl() + "/ssi/objects/" + obj + "/coherence");
    if (r.status() != 200) {
      throw new AssertionError("coherence of " + obj + " via " + n.name() + ": " + r);
    }
    return r.json();
  }

  /**
   * The first object id from {@code first} whose directory (a sharded entity, placed by Cluster
   * Sharding) lives on a node for which {@code wanted} holds; asking for a view starts the
   * directory without writing anything.
   */
  long objectWithDirectory(NodeProcess via, long first,
      java.util.function.Predicate<String> wanted) throws IOException {
    for (long id = first; id < first + 64; id++) {
      if (wanted.test(coherence(via, id).path("directoryHost").asText())) {
        return id;
      }
    }
    throw new AssertionError("no object in " + first + "..+64 has its directory where wanted");
  }

  /** The directory's record of {@code page}; fails while there is none. */
  static JsonNode record(JsonNode coherence, long page) {
    for (JsonNode r : coherence.path("records")) {
      if (r.path("page").asLong() == page) {
        return r;
      }
    }
    throw new AssertionError("no record of page " + page + " in " + coherence);
  }

  static String owner(JsonNode record) {
    return record.path("owner").isNull() ? null : record.path("owner").asText(null);
  }

  static Set<String> sharers(JsonNode record) {
    Set<String> out = new HashSet<>();
    record.path("sharers").forEach(s -> out.add(s.asText()));
    return out;
  }

  /** A page-sized value whose every byte is determined by {@code tag}, so a mix is detectable. */
  static byte[] pageOf(String tag) {
    byte[] unit = (tag + ";").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] page = new byte[PAGE];
    for (int i = 0; i < PAGE; i++) {
      page[i] = unit[i % unit.length];
    }
    return page;
  }

  /** The tag of a page built by {@link #pageOf}, or null when the page is not exactly one. */
  static String tagOf(byte[] page) {
    int end = 0;
    while (end < page.length && page[end] != ';') {
      end++;
    }
    if (end == 0 || end == page.length) {
      return null;
    }
    String tag = new String(page, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    return Arrays.equals(page, pageOf(tag)) ? tag : null;
  }
}

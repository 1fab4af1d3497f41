package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ssi.cluster.http.SsiJson;

/**
 * A small client of a node's management HTTP interface, for the {@code ssi} command. Mutating
 * requests carry {@code Authorization: Bearer $SSI_ADMIN_TOKEN} when that variable is set; a
 * non-2xx answer becomes a {@link RequestRefused} with the node's JSON error message, and no
 * answer at all an {@link IOException}.
 */
final class ManagementClient {

  /** How long a plain query may take; migrate and drain pass their own, longer timeouts. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  /** The longest error text quoted from a body that is not the project's JSON error. */
  private static final int MAX_QUOTED = 200;

  /** One member as {@code /cluster/members} reports it. */
  record Member(String node, String status, List<String> roles, boolean reachable) {
  }

  // HTTP/1.1: the management server speaks it, and the JDK's h2c upgrade attempt would only add
  // a round of headers to every request and to the long-lived migration stream.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Optional<String> token;

  /** A client that sends {@code SSI_ADMIN_TOKEN} (when set) on mutating requests. */
  ManagementClient() {
    this(Optional.ofNullable(System.getenv("SSI_ADMIN_TOKEN")).filter(t -> !t.isBlank()));
  }

  ManagementClient(Optional<String> token) {
    this.token = token;
  }

  /** The underlying HTTP client (the migration stream shares it). */
  HttpClient http() {
    return http;
  }

  /**
   * Sends {@code method url} with {@code body} as JSON (none when null) and parses the JSON
   * answer ({@code null} for an empty one).
   */
  JsonNode send(String method, String url, Object body, Duration timeout)
      throws IOException, RequestRefused {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(SsiJson.MAPPER.writeValueAsBytes(body));
    String answer = exchange(method, url, publisher, "application/json", timeout);
    return answer.isBlank() ? null : SsiJson.MAPPER.readTree(answer);
  }

  /** GETs {@code url} as JSON, refusals as {@link RequestRefused}. */
  JsonNode get(String url) throws IOException, RequestRefused {
    return send("GET", url, null, QUERY_TIMEOUT);
  }

  /** POSTs {@code bytes} as-is ({@code application/octet-stream}) and parses the JSON answer. */
  JsonNode postBytes(String url, byte[] bytes) throws IOException, RequestRefused {
    return sendBytes("POST", url, bytes);
  }

  /** Sends {@code bytes} as-is ({@code application/octet-stream}) and parses the JSON answer. */
  JsonNode sendBytes(String method, String url, byte[] bytes) throws IOException, RequestRefused {
    String answer = exchange(method, url, HttpRequest.BodyPublishers.ofByteArray(bytes),
        "application/octet-stream", QUERY_TIMEOUT);
    return answer.isBlank() ? null : SsiJson.MAPPER.readTree(answer);
  }

  /** GETs the raw bytes at {@code url} (a file under {@code /ssi/files}). */
  byte[] getBytes(String url) throws IOException, RequestRefused {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(QUERY_TIMEOUT).GET()
        .build();
    HttpResponse<byte[]> response = await(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw refusal(response.statusCode(), new String(response.body(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    return response.body();
  }

  private String exchange(String method, String url, HttpRequest.BodyPublisher body,
      String contentType, Duration timeout) throws IOException, RequestRefused {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .method(method, body);
    if (!method.equals("GET")) {
      request.header("Content-Type", contentType);
      token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    }
    HttpResponse<String> response = await(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw refusal(response.statusCode(), response.body());
    }
    return response.body();
  }

  private <T> HttpResponse<T> await(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The one-line refusal for a non-2xx answer: the JSON {@code error}, else the body's start. */
  RequestRefused refusal(int status, String body) {
    String message;
    try {
      JsonNode json = SsiJson.MAPPER.readTree(body);
      message = json != null && json.hasNonNull("error") ? json.get("error").asText() : null;
    } catch (IOException e) {
      message = null;
    }
    if (message == null) {
      String first = body == null ? "" : body.strip().lines().findFirst().orElse("");
      message = first.isEmpty() ? "no details"
          : first.substring(0, Math.min(first.length(), MAX_QUOTED));
    }
    String hint = (status == 401 || status == 403) && token.isEmpty()
        ? " (set SSI_ADMIN_TOKEN to the cluster's ssi.security.admin-token)" : "";
    return new RequestRefused(status, message + " (HTTP " + status + ")" + hint);
  }

  /** GETs {@code url} and parses the JSON body; an IOException for any failure or non-2xx. */
  JsonNode getJson(String url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
      }
      return SsiJson.MAPPER.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The members as seen by the node at {@code managementUrl}. */
  List<Member> members(String managementUrl) throws IOException {
    JsonNode body = getJson(managementUrl + "/cluster/members");
    List<String> unreachable = new ArrayList<>();
    body.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
    List<Member> out = new ArrayList<>();
    for (JsonNode m : body.path("members")) {
      List<String> roles = new ArrayList<>();
      m.path("roles").forEach(r -> roles.add(r.asText()));
      String node = m.path("node").asText();
      out.add(new Member(node, m.path("status").asText(), List.copyOf(roles),
          !unreachable.contains(node)));
    }
    return out;
  }

  /** The SSI node name of a member, from its {@code name:...} role. */
  static String nameOf(Member m) {
    return m.roles().stream().filter(r -> r.startsWith("name:")).map(r -> r.substring(5))
        .findFirst().orElse("?");
  }
}

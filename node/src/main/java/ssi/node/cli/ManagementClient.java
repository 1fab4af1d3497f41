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
import ssi.cluster.http.SsiJson;

/** A small client of a node's management HTTP interface, for the {@code ssi} command. */
final class ManagementClient {

  /** One member as {@code /cluster/members} reports it. */
  record Member(String node, String status, List<String> roles, boolean reachable) {
  }

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

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

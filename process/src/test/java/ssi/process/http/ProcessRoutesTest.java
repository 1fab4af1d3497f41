package ssi.process.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ExtendedActorSystem;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRoutes;
import ssi.process.testing.ProcessCluster;
import ssi.testing.LogCapture;

/**
 * The process and migration routes over real HTTP on a two-node in-JVM cluster (the second
 * node guards its mutating routes with the admin token): the token is required and a refused
 * request changes nothing; bad input gets JSON 4xx; the live stream sends one event per piece
 * of a migration, the same pieces the migrate answer and the history list.
 */
@ExtendWith(LogCapture.class)
class ProcessRoutesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOKEN = "process-routes-token";
  private static ProcessCluster cluster;
  private static final List<ServerBinding> bindings = new ArrayList<>();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start("ProcessRoutesTest", 1, "");
    cluster.join("ssi.security.admin-token = \"" + TOKEN + "\"");
    for (ActorTestKit n : cluster.nodes()) {
      SsiRoutes routes = new SsiRoutes((ExtendedActorSystem) Adapter.toClassic(n.system()));
      bindings.add(akka.http.javadsl.Http.get(n.system()).newServerAt("127.0.0.1", 0)
          .bind(routes.routes(null)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    bindings.forEach(ServerBinding::unbind);
    cluster.stop();
  }

  @Test
  void mutatingRoutesNeedTheAdminTokenAndARefusalChangesNothing() throws Exception {
    String spawn = "{\"program\":\"counter\",\"args\":[\"/routes/token.log\",\"1000\",\"50\"],"
        + "\"node\":\"" + node(1) + "\"}";
    assertError(401, send(1, "POST", "/ssi/processes", spawn, null));
    JsonNode all = send(1, "GET", "/ssi/processes", null, null).json();
    all.path("processes").forEach(q -> assertFalse(q.path("args").toString()
        .contains("/routes/token.log"), "nothing spawned: " + all));
    Res created = send(1, "POST", "/ssi/processes", spawn, TOKEN);
    assertEquals(201, created.status(), created.text());
    long pid = created.json().path("pids").path(0).asLong();

    String base = "/ssi/processes/" + pid;
    assertError(401, send(1, "POST", base + "/migrate", "{\"to\":\"" + node(0) + "\"}", null));
    assertError(401, send(1, "POST", base + "/migrate", "{\"to\":\"" + node(0) + "\"}",
        "wrong-" + TOKEN));
    assertError(401, send(1, "POST", base + "/kill", "{\"signal\":\"KILL\"}", null));
    assertError(401, send(1, "POST", "/ssi/nodes/node-1/drain", "", null));
    JsonNode p = send(1, "GET", base, null, null).json();
    assertEquals(node(1), p.path("node").asText(), "not migrated: " + p);
    assertEquals(0, p.path("migrations").asInt(), p.toString());
    assertFalse("exited".equals(p.path("state").asText()), "not killed: " + p);
    JsonNode history = send(0, "GET", "/ssi/migrations", null, null).json();
    history.path("migrations").forEach(m -> assertFalse(m.path("pid").asLong() == pid,
        "no migration happened: " + history));

    Res killed = send(1, "POST", base + "/kill", "{\"signal\":\"KILL\"}", TOKEN);
    assertEquals(200, killed.status(), killed.text());
  }

  @Test
  void badInputGetsJsonErrors() throws Exception {
    assertError(400, send(0, "POST", "/ssi/processes", "{not json", null));
    assertError(400, send(0, "POST", "/ssi/processes", "{\"program\":\"nope\"}", null));
    assertError(400, send(0, "POST", "/ssi/processes",
        "{\"program\":\"counter\",\"args\":[\"x\",\"y\",\"z\",\"w\"]}", null));
    assertError(404, send(0, "POST", "/ssi/processes",
        "{\"program\":\"wc\",\"node\":\"node-42\"}", null));
    assertError(400, send(0, "GET", "/ssi/processes/abc", null, null));
    assertError(404, send(0, "GET", "/ssi/processes/123456789", null, null));
    assertError(404, send(0, "POST", "/ssi/processes/123456789/migrate",
        "{\"to\":\"" + node(1) + "\"}", null));
    assertError(400, send(0, "POST", "/ssi/processes/123456789/migrate", "{}", null));
    assertError(400, send(0, "POST", "/ssi/processes/123456789/kill", "{\"signal\":\"HUP\"}",
        null));
    assertError(404, send(0, "POST", "/ssi/nodes/node-42/drain", "", null));
    assertError(405, send(0, "DELETE", "/ssi/migrations", null, null));
  }

  @Test
  void theStreamSendsOneEventPerPieceOfAMigration() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest streamRequest = HttpRequest.newBuilder(uri(1, "/ssi/migrations/stream")).GET()
        .build();
    CompletableFuture<HttpResponse<Stream<String>>> stream = CLIENT.sendAsync(streamRequest,
        HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("")
        .startsWith("text/event-stream"), response.headers().toString());
    Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      Res created = send(0, "POST", "/ssi/processes", "{\"program\":\"counter\",\"args\":["
          + "\"/routes/stream.log\",\"2000\",\"20\"],\"node\":\"" + node(0) + "\"}", null);
      assertEquals(201, created.status(), created.text());
      long pid = created.json().path("pids").path(0).asLong();
      Res migrated = send(0, "POST", "/ssi/processes/" + pid + "/migrate",
          "{\"to\":\"" + node(1) + "\"}", null);
      assertEquals(200, migrated.status(), migrated.text());
      JsonNode record = migrated.json();
      String id = record.path("id").asText();
      List<String> answered = new ArrayList<>();
      record.path("pieces").forEach(piece -> answered.add(piece.path("piece").asText()));
      assertTrue(answered.contains("core") && answered.contains("fd 0 (file)"), answered
          .toString());

      List<String> streamed = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      String state = "";
      while (!state.equals("complete")) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
        assertNotNull(line, "no 'complete' event within " + WAIT + "; pieces so far: "
            + streamed);
        if (!line.startsWith("data:")) {
          continue;
        }
        JsonNode e = SsiJson.MAPPER.readTree(line.substring(5).trim());
        if (!id.equals(e.path("migration").asText())) {
          continue;
        }
        state = e.path("state").asText();
        if (!state.equals("complete") && !e.path("piece").asText().equals("in-progress")) {
          streamed.add(e.path("piece").asText());
        }
      }
      assertEquals(answered.stream().sorted().toList(), streamed.stream().sorted().toList(),
          "one event per piece");
      JsonNode history = send(1, "GET", "/ssi/migrations", null, null).json();
      boolean listed = false;
      for (JsonNode m : history.path("migrations")) {
        if (m.path("id").asText().equals(id)) {
          listed = true;
          assertEquals("complete", m.path("state").asText(), m.toString());
          assertEquals(answered.size(), m.path("pieces").size(), m.toString());
        }
      }
      assertTrue(listed, "the history lists it: " + history);
      send(0, "POST", "/ssi/processes/" + pid + "/kill", "{\"signal\":\"KILL\"}", null);
    } finally {
      response.body().close();
    }
  }

  // ---- helpers ----

  record Res(int status, String text) {
    JsonNode json() throws Exception {
      return SsiJson.MAPPER.readTree(text);
    }
  }

  private static String node(int i) {
    return cluster.address(i);
  }

  private static URI uri(int node, String path) {
    return URI.create("http://127.0.0.1:" + bindings.get(node).localAddress().getPort() + path);
  }

  private static Res send(int node, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(node, path)).timeout(WAIT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Res(r.statusCode(), r.body());
  }

  private static void assertError(int status, Res r) throws Exception {
    assertEquals(status, r.status(), r.text());
    JsonNode j = r.json();
    assertEquals(status, j.path("status").asInt(), r.text());
    assertFalse(j.path("error").asText().isBlank(), r.text());
  }
}

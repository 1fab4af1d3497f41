package ssi.cluster.lwkt;

import static akka.http.javadsl.server.Directives.pathPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.bgl.Domains;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.Msg;
import ssi.cluster.http.SsiJson;
import ssi.testing.LogCapture;

/** {@code /ssi/cpus}, {@code /ssi/bgl}, {@code /ssi/ports}: live JSON, and 400 for a bad top. */
@ExtendWith(LogCapture.class)
class LwktRoutesTest {

  private static final ActorTestKit KIT = ActorTestKit.create("LwktRoutesTest",
      ConfigFactory.parseString("ssi.cpus = 2").withFallback(ConfigFactory.load()));
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static ServerBinding binding;

  @BeforeAll
  static void bind() {
    binding = Http.get(KIT.system()).newServerAt("127.0.0.1", 0)
        .bind(pathPrefix("ssi", () -> new LwktRoutes().route(KIT.system())))
        .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @AfterAll
  static void shutdown() {
    binding.unbind();
    KIT.shutdownTestKit();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    return CLIENT.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("application/json"),
        r.headers().toString());
    return SsiJson.MAPPER.readTree(r.body());
  }

  @Test
  void cpusShowsLiveIpiCounters() throws Exception {
    Cpus cpus = Cpus.get(KIT.system());
    java.util.concurrent.CompletableFuture<Void> sent = new java.util.concurrent.CompletableFuture<>();
    cpus.ipi(0, c -> {
      cpus.ipi(1, t -> sent.complete(null));
    });
    sent.orTimeout(10, TimeUnit.SECONDS).join();
    HttpResponse<String> r = get("/ssi/cpus");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(2, body.get("count").asInt());
    assertEquals(2, body.get("cpus").size());
    assertTrue(body.get("cpus").get(0).get("ipisSent").asLong() >= 1, r.body());
    assertTrue(body.get("cpus").get(1).has("wakeupsAvoided"), r.body());
  }

  @Test
  void bglShowsCoverageAndStats() throws Exception {
    Domains.get(KIT.system()).call("proc", 1, () -> 1).toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS).join();
    HttpResponse<String> r = get("/ssi/bgl");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("[\"namespace\",\"proc\"]", body.get("covered").toString());
    JsonNode net = null;
    JsonNode proc = null;
    for (JsonNode s : body.get("subsystems")) {
      if (s.get("name").asText().equals("net")) {
        net = s;
      }
      if (s.get("name").asText().equals("proc")) {
        proc = s;
      }
    }
    assertEquals(false, net.get("covered").asBoolean());
    assertEquals(2, net.get("domains").size());
    assertTrue(proc.get("ops").asLong() >= 1, r.body());
  }

  @Test
  void portsListsTheBusiestAndRefusesABadTop() throws Exception {
    Domains domains = Domains.get(KIT.system());
    for (int i = 0; i < 5; i++) {
      domains.call("namespace", i, () -> 1).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
    HttpResponse<String> r = get("/ssi/ports?top=1");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(1, body.get("shown").asInt());
    assertTrue(body.get("registered").asInt() >= 3, r.body()); // bgl, net-0, net-1
    assertTrue(body.get("ports").get(0).get("sent").asLong() >= 5, r.body());

    HttpResponse<String> dflt = get("/ssi/ports");
    assertEquals(200, dflt.statusCode());
    for (String bad : new String[] {"abc", "0", "-3", "1000001", ""}) {
      HttpResponse<String> b = get("/ssi/ports?top=" + bad);
      assertEquals(400, b.statusCode(), "top=" + bad + ": " + b.body());
      assertEquals(400, json(b).get("status").asInt());
      assertTrue(json(b).get("error").asText().contains("top"), b.body());
    }
  }

  @Test
  void parseTopAcceptsOnlyOneToMax() {
    assertEquals(Optional.of(20), LwktRoutes.parseTop(Optional.empty(), 20, 1000));
    assertEquals(Optional.of(7), LwktRoutes.parseTop(Optional.of(" 7 "), 20, 1000));
    assertEquals(Optional.empty(), LwktRoutes.parseTop(Optional.of("1001"), 20, 1000));
    assertEquals(Optional.empty(), LwktRoutes.parseTop(Optional.of("9999999999"), 20, 1000));
  }

  /** Keeps {@link Msg} linked so the test fails to compile if the actors API moves. */
  @SuppressWarnings("unused")
  private static final Class<?> API = Msg.class;
}

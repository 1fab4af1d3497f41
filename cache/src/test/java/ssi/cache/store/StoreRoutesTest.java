package ssi.cache.store;

import static akka.http.javadsl.server.Directives.pathPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.cache.store.StoreTestSupport.await;
import static ssi.cache.store.StoreTestSupport.ok;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import ssi.actors.lwkt.Errno;
import ssi.cluster.http.SsiJson;
import ssi.testing.LogCapture;

/**
 * {@code GET /ssi/store} and the {@link PageStores} extension: configured and up with live
 * counters, no password in the URL, down while the database is stopped and up again after it
 * restarts (same port and data), {@code configured:false} without a URL, and the store closed by
 * coordinated shutdown.
 */
@ExtendWith(LogCapture.class)
class StoreRoutesTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir
  static Path dataDir;

  private static EmbeddedStore postgres;

  @BeforeAll
  static void startDatabase() throws Exception {
    postgres = EmbeddedStore.start(dataDir, 0);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    postgres.close();
  }

  @Test
  void reportsAConfiguredStoreUpThenDownThenRecovered() throws Exception {
    ActorTestKit kit = ActorTestKit.create("StoreRoutesTest-configured", config(
        "ssi.store.url = \"" + postgres.url() + "?password=secret\"\n"
            + "ssi.store.connect-timeout = 1s\nssi.store.retry-interval = 200ms"));
    PageStore store;
    try {
      ServerBinding binding = bind(kit);
      store = PageStores.get(kit.system()).store().orElseThrow();
      ok(store.createObject(7, ObjectKind.FILE));

      JsonNode up = getStore(binding);
      assertTrue(up.get("configured").asBoolean(), up.toString());
      assertTrue(up.get("up").asBoolean(), up.toString());
      assertEquals("OK", up.get("errno").asText());
      assertEquals(postgres.url() + "?password=***", up.get("url").asText());
      assertFalse(up.toString().contains("secret"), up.toString());
      assertTrue(up.get("stats").get("commits").asLong() >= 1, up.toString());
      assertTrue(up.get("stats").get("available").asBoolean(), up.toString());

      int port = postgres.port();
      postgres.close();
      awaitStore(binding, false);
      assertEquals(Errno.EIO, await(store.getObject(7)).errno());

      postgres = EmbeddedStore.start(dataDir, port);
      JsonNode back = awaitStore(binding, true);
      assertEquals("OK", back.get("errno").asText());
      assertEquals(Errno.OK, await(store.getObject(7)).errno(), "data kept, store recovered");
    } finally {
      kit.shutdownTestKit();
    }
    assertEquals(Errno.EBADF, await(store.getObject(7)).errno(),
        "coordinated shutdown closed the store");
  }

  @Test
  void reportsNoStoreWhenNoUrlIsConfigured() throws Exception {
    ActorTestKit kit = ActorTestKit.create("StoreRoutesTest-none", config("ssi.store.url = \"\""));
    try {
      assertFalse(PageStores.get(kit.system()).configured());
      assertTrue(PageStores.get(kit.system()).store().isEmpty());
      JsonNode body = getStore(bind(kit));
      assertFalse(body.get("configured").asBoolean(), body.toString());
      assertFalse(body.get("up").asBoolean(), body.toString());
      assertTrue(body.get("url").isNull(), body.toString());
      assertTrue(body.get("note").asText().contains("ssi.store.url"), body.toString());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void redactsPasswordsFromUrls() {
    assertEquals("jdbc:postgresql://db:5432/ssi?user=a&password=***&ssl=true",
        StoreRoutes.redact("jdbc:postgresql://db:5432/ssi?user=a&password=p%40ss&ssl=true"));
    assertEquals("jdbc:postgresql://a:***@db/ssi", StoreRoutes.redact("jdbc:postgresql://a:pw@db/ssi"));
    assertEquals("jdbc:postgresql://db/ssi", StoreRoutes.redact("jdbc:postgresql://db/ssi"));
  }

  private static Config config(String store) {
    return ConfigFactory.parseString(store).withFallback(ConfigFactory.load());
  }

  private static ServerBinding bind(ActorTestKit kit) {
    return Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bind(pathPrefix("ssi", () -> new StoreRoutes().route(kit.system())))
        .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static JsonNode getStore(ServerBinding binding) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/ssi/store");
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return SsiJson.MAPPER.readTree(r.body());
  }

  /** Polls {@code /ssi/store} until it reports {@code up}; fails after {@link #DEADLINE}. */
  private static JsonNode awaitStore(ServerBinding binding, boolean up) throws Exception {
    long end = System.nanoTime() + DEADLINE.toNanos();
    JsonNode last;
    do {
      last = getStore(binding);
      if (last.get("up").asBoolean() == up) {
        return last;
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    } while (System.nanoTime() - end < 0);
    throw new AssertionError("/ssi/store not up=" + up + " within " + DEADLINE + ": " + last);
  }
}

package ssi.files.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ExtendedActorSystem;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.Http;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.actors.lwkt.Reply;
import ssi.cache.pagecache.PageCache;
import ssi.cache.store.EmbeddedStore;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRoutes;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.testing.ClusterTestKits;
import ssi.files.locks.ExtentGrant;
import ssi.files.locks.FileObject;
import ssi.files.locks.LockAgent;
import ssi.files.locks.NodeLock;
import ssi.files.locks.NodeLocks;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import akka.actor.testkit.typed.javadsl.TestProbe;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.namespace.Directory;
import ssi.testing.LogCapture;

/**
 * The file routes end to end through the whole {@code /ssi} route stack, on a 3-node cluster in
 * one JVM (the real page store on an embedded PostgreSQL): data PUT through one node reads
 * identically through another, capabilities work and any altered one gets 403 and changes
 * nothing, bad input gets a JSON 4xx and changes nothing, the admin token guards mutations, and
 * {@code /ssi/locks} shows a held lock, its extent and the server's grants; a conflicting write
 * waits for the lock, and an extent a stuck node never gives back is let go after the lease.
 */
@ExtendWith(LogCapture.class)
class FilesRoutesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "routes-test-secret";
  private static final String TOKEN = "routes-test-token";
  private static final int MAX_BODY = 64 * 1024;
  private static final String CONF = """
      ssi.store.url = "%s"
      ssi.security.secret = "%s"
      ssi.http.max-body = %d
      ssi.files.lock-lease = 4s
      """;
  private static EmbeddedStore store;
  private static final List<ActorTestKit> nodes = new ArrayList<>();
  private static final List<ServerBinding> bindings = new ArrayList<>();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    store = EmbeddedStore.startTemporary();
    String conf = CONF.formatted(store.url(), SECRET, MAX_BODY);
    nodes.addAll(ClusterTestKits.start("FilesRoutesTest", 2, conf));
    // The third node guards its mutating routes with the admin token.
    nodes.add(ClusterTestKits.join("FilesRoutesTest", nodes.get(0), 3,
        conf + "ssi.security.admin-token = \"" + TOKEN + "\"\n"));
    for (ActorTestKit n : nodes) {
      Mesh.get(n.system());
      PageCache.get(n.system());
      Directory.init(n.system());
      FileObject.init(n.system());
      SsiRoutes routes = new SsiRoutes((ExtendedActorSystem) Adapter.toClassic(n.system()));
      bindings.add(akka.http.javadsl.Http.get(n.system()).newServerAt("127.0.0.1", 0)
          .bind(routes.routes(null)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    bindings.forEach(ServerBinding::unbind);
    ClusterTestKits.stop(nodes);
    store.close();
  }

  // ---- HTTP helpers ----

  record Res(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws Exception {
      return SsiJson.MAPPER.readTree(body);
    }
  }

  static Res send(int node, String method, String pathAndQuery, byte[] body, String token)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + bindings.get(node).localAddress().getPort()
        + pathAndQuery);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Res(r.statusCode(), r.body());
  }

  static Res send(int node, String method, String pathAndQuery, byte[] body) throws Exception {
    return send(node, method, pathAndQuery, body, node == 2 ? TOKEN : null);
  }

  static Res ok(Res r) {
    assertEquals(200, r.status(), r.text());
    return r;
  }

  /** Asserts a JSON error with {@code status}. */
  static void refused(int status, Res r, String what) throws Exception {
    assertEquals(status, r.status(), what + ": " + r.text());
    JsonNode j = r.json();
    assertEquals(status, j.path("status").asInt(), what + ": " + r.text());
    assertTrue(j.path("error").isTextual(), what + ": " + r.text());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] read(int node, String path) throws Exception {
    return ok(send(node, "GET", "/ssi/files" + path, null)).body();
  }

  // ---- tests ----

  @Test
  void aFilePutThroughOneNodeReadsIdenticallyThroughAnother() throws Exception {
    byte[] data = new byte[3 * 4096 + 17];
    new java.util.Random(1).nextBytes(data);
    JsonNode put = ok(send(0, "PUT", "/ssi/files/rt/deep/er/blob", data)).json();
    assertTrue(put.path("created").asBoolean(), put.toString());
    assertEquals(data.length, put.path("length").asLong());
    assertArrayEquals(data, read(1, "/rt/deep/er/blob"));
    assertArrayEquals(data, read(2, "/rt/deep/er/blob"));

    // Offset write, append, ranged read, replace.
    ok(send(1, "PUT", "/ssi/files/rt/deep/er/blob?offset=4090", bytes("XXXXXXXXXX")));
    JsonNode app = ok(send(2, "PUT", "/ssi/files/rt/deep/er/blob?append=true", bytes("tail")))
        .json();
    assertEquals(data.length, app.path("offset").asLong());
    System.arraycopy(bytes("XXXXXXXXXX"), 0, data, 4090, 10);
    byte[] all = java.util.Arrays.copyOf(data, data.length + 4);
    System.arraycopy(bytes("tail"), 0, all, data.length, 4);
    assertArrayEquals(all, read(0, "/rt/deep/er/blob"));
    assertArrayEquals(bytes("XXXXXXXXXX"),
        ok(send(1, "GET", "/ssi/files/rt/deep/er/blob?offset=4090&length=10", null)).body());
    assertEquals(0, ok(send(1, "GET", "/ssi/files/rt/deep/er/blob?offset=999999", null))
        .body().length);

    JsonNode stat = ok(send(1, "GET", "/ssi/files/rt/deep/er/blob?stat", null)).json();
    assertEquals(all.length, stat.path("length").asLong());
    assertEquals("FILE", stat.path("kind").asText());

    JsonNode list = ok(send(0, "GET", "/ssi/files/rt/deep/er/", null)).json();
    assertEquals("blob", list.path("entries").get(0).path("name").asText(), list.toString());
    assertEquals("DIRECTORY", ok(send(0, "GET", "/ssi/files/rt/?stat", null)).json()
        .path("kind").asText());

    ok(send(0, "PUT", "/ssi/files/rt/deep/er/blob", bytes("short")));
    assertArrayEquals(bytes("short"), read(1, "/rt/deep/er/blob"));

    ok(send(1, "DELETE", "/ssi/files/rt/deep/er/blob", null));
    refused(404, send(0, "GET", "/ssi/files/rt/deep/er/blob", null), "deleted file");
    ok(send(1, "PUT", "/ssi/files/rt/made/", null));
    assertEquals(0, ok(send(0, "GET", "/ssi/files/rt/made/", null)).json().path("entries")
        .size());
  }

  @Test
  void badInputGetsJson4xxAndChangesNothing() throws Exception {
    byte[] original = bytes("original contents");
    ok(send(0, "PUT", "/ssi/files/bad/f", original));
    ok(send(0, "PUT", "/ssi/files/bad/d/inner", bytes("x")));
    String[][] cases = {
        {"PUT", "/ssi/files/bad/f?offset=-1", "400"},
        {"PUT", "/ssi/files/bad/f?offset=abc", "400"},
        {"PUT", "/ssi/files/bad/f?offset=%2B5", "400"},
        {"PUT", "/ssi/files/bad/f?offset=99999999999999999999", "400"},
        {"PUT", "/ssi/files/bad/f?offset=9223372036854775807", "400"}, // offset + length overflows
        {"PUT", "/ssi/files/bad/f?offset=1&append=true", "400"},
        {"PUT", "/ssi/files/bad/f?append=yes", "400"},
        {"PUT", "/ssi/files/bad/f?length=3", "400"},
        {"PUT", "/ssi/files/bad/../f", "400"},
        {"PUT", "/ssi/files/bad/./f", "400"},
        {"PUT", "/ssi/files/bad//f", "400"},
        {"PUT", "/ssi/files/bad%2Ff", "400"},
        {"PUT", "/ssi/files/bad/f%00x", "400"},
        {"PUT", "/ssi/files/bad/%2e%2e/f", "400"},
        {"PUT", "/ssi/files/bad/d", "400"}, // a directory (EISDIR)
        {"PUT", "/ssi/files/bad/f/sub", "400"}, // a file as a directory (ENOTDIR)
        {"PUT", "/ssi/files/", "400"},
        {"GET", "/ssi/files/bad/f?offset=-5", "400"},
        {"GET", "/ssi/files/bad/f?length=" + (MAX_BODY + 1), "400"},
        {"GET", "/ssi/files/bad/f?offset=9223372036854775807&length=2", "400"},
        {"GET", "/ssi/files/bad/f/", "400"},
        {"GET", "/ssi/files/bad/missing", "404"},
        {"GET", "/ssi/files/bad/../../etc/passwd", "404"}, // no /ssi/etc route: not ours
        {"DELETE", "/ssi/files/bad/d", "409"}, // not empty
        {"DELETE", "/ssi/files/bad/missing", "404"},
        {"DELETE", "/ssi/files/", "400"},
        {"POST", "/ssi/files/bad/f", "400"}, // POST without ?handle
        {"POST", "/ssi/files/bad/d?handle", "400"},
        {"PATCH", "/ssi/files/bad/f", "405"},
    };
    for (String[] c : cases) {
      refused(Integer.parseInt(c[2]), send(0, c[0], c[1], bytes("CHANGED")), c[0] + " " + c[1]);
    }
    refused(413, send(1, "PUT", "/ssi/files/bad/f", new byte[MAX_BODY + 1]), "oversized body");
    refused(413, send(1, "PUT", "/ssi/files/bad/big", new byte[MAX_BODY + 1]), "oversized new");

    assertArrayEquals(original, read(1, "/bad/f"));
    JsonNode list = ok(send(1, "GET", "/ssi/files/bad/", null)).json();
    assertEquals(2, list.path("entries").size(), "nothing was created: " + list);
    assertEquals(1, ok(send(1, "GET", "/ssi/files/bad/d/", null)).json().path("entries").size());
    refused(404, send(1, "GET", "/ssi/files/f", null), "no traversal to /f");
  }

  @Test
  void aCapabilityWorksOnEveryNodeAndAnAlteredOneGets403() throws Exception {
    ok(send(0, "PUT", "/ssi/files/cap/f", bytes("capable")));
    JsonNode issued = ok(send(0, "POST", "/ssi/files/cap/f?handle", null)).json();
    String cap = issued.path("capability").asText();
    assertEquals("/ssi/handles/" + cap, issued.path("url").asText());
    for (int n = 0; n < 3; n++) {
      assertArrayEquals(bytes("capable"), ok(send(n, "GET", "/ssi/handles/" + cap, null, null))
          .body(), "node " + n);
    }
    // The capability is the credential: no admin token needed, even on the node that has one.
    ok(send(2, "PUT", "/ssi/handles/" + cap + "?append=true", bytes("!"), null));
    assertArrayEquals(bytes("capable!"), read(1, "/cap/f"));
    assertEquals(8, ok(send(1, "GET", "/ssi/handles/" + cap + "?stat", null)).json()
        .path("length").asLong());

    String altered = cap.substring(0, 10) + (cap.charAt(10) == 'A' ? 'B' : 'A')
        + cap.substring(11);
    String[] h = issued.path("handle").asText().split("\\.");
    String forged = Capability.issue("guessed-secret",
        new GlobalFileHandle(Long.parseLong(h[0]), Long.parseLong(h[1])));
    for (String bad : List.of(altered, cap.substring(0, cap.length() - 2), forged, "x",
        cap + "A")) {
      refused(403, send(1, "GET", "/ssi/handles/" + bad, null), "GET " + bad);
      refused(403, send(1, "PUT", "/ssi/handles/" + bad, bytes("evil")), "PUT " + bad);
      refused(403, send(1, "PUT", "/ssi/handles/" + bad + "?append=true", bytes("evil")),
          "append " + bad);
    }
    assertArrayEquals(bytes("capable!"), read(0, "/cap/f"));

    ok(send(0, "DELETE", "/ssi/files/cap/f", null));
    refused(410, send(1, "GET", "/ssi/handles/" + cap, null), "stale capability");
  }

  @Test
  void theAdminTokenGuardsMutationsButNotReads() throws Exception {
    refused(401, send(2, "PUT", "/ssi/files/tok/f", bytes("x"), null), "PUT without token");
    refused(401, send(2, "PUT", "/ssi/files/tok/f", bytes("x"), "wrong"), "PUT wrong token");
    refused(404, send(0, "GET", "/ssi/files/tok/f", null), "nothing was created");
    ok(send(2, "PUT", "/ssi/files/tok/f", bytes("x"), TOKEN));
    assertArrayEquals(bytes("x"), ok(send(2, "GET", "/ssi/files/tok/f", null, null)).body());
    refused(401, send(2, "POST", "/ssi/files/tok/f?handle", null, null), "POST without token");
    refused(401, send(2, "DELETE", "/ssi/files/tok/f", null, null), "DELETE without token");
    assertArrayEquals(bytes("x"), read(0, "/tok/f"));
  }

  @Test
  void locksShowAHeldLockItsExtentAndTheWaiterItBlocksUntilReleased() throws Exception {
    GlobalFileHandle fh = handle(ok(send(0, "PUT", "/ssi/files/locks/f", bytes("locked bytes"))));
    ActorSystem<?> sys = nodes.get(1).system();
    String node1 = akka.cluster.typed.Cluster.get(sys).selfMember().address().toString();
    NodeLock lock = NodeLocks.get(sys).acquire(fh.objectId(), new LockOwner(node1, 42),
        LockMode.EXCLUSIVE, 2, 5).toCompletableFuture().get(30, TimeUnit.SECONDS).value();
    JsonNode mine = awaitLocks(1, fh.objectId(), o -> o.path("held").size() == 1);
    assertEquals("EXCLUSIVE", mine.path("held").get(0).path("mode").asText(), mine.toString());
    assertEquals(2, mine.path("held").get(0).path("offset").asLong());
    assertEquals(5, mine.path("held").get(0).path("length").asLong());
    assertEquals(1, mine.path("extents").get(0).path("users").asInt(), mine.toString());

    // An overlapping write through node 0 waits: node 1's extent is revoked, node 0's request
    // waits at the server, and the write completes once node 1 lets go.
    var write = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + bindings.get(0).localAddress().getPort() + "/ssi/files/locks/f?offset=0"))
        .timeout(WAIT).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes("LOCKED"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    awaitLocks(1, fh.objectId(), o -> o.path("extents").path(0).path("revoking").asBoolean());
    JsonNode server = awaitServer(fh.objectId(), o -> o.path("grants").size() == 2
        && !o.path("grants").get(1).path("held").asBoolean());
    assertEquals(node1, server.path("grants").get(0).path("node").asText(), server.toString());
    assertTrue(server.path("grants").get(0).path("revoked").asBoolean(), server.toString());
    assertFalse(write.isDone(), "the write waited for the lock");
    assertEquals(ssi.actors.lwkt.Errno.OK, lock.release());
    assertEquals(200, write.get(30, TimeUnit.SECONDS).statusCode());
    assertArrayEquals(bytes("LOCKED bytes"), read(2, "/locks/f"));
    awaitLocks(1, fh.objectId(), o -> o == null);
    assertEquals(ssi.actors.lwkt.Errno.EBADF, lock.release(), "a lock is given back once");
  }

  @Test
  void anExtentWhoseNodeNeverGivesItBackIsLetGoAfterTheLeaseAndNonMembersGetNone()
      throws Exception {
    GlobalFileHandle fh = handle(ok(send(0, "PUT", "/ssi/files/locks/g", bytes("leased bytes"))));
    ActorSystem<?> sys = nodes.get(2).system();
    String node2 = akka.cluster.typed.Cluster.get(sys).selfMember().address().toString();
    var entity = ClusterSharding.get(sys).entityRefFor(FileObject.ENTITY_TYPE_KEY,
        Long.toString(fh.objectId()));
    // A stuck agent: granted an extent, it never answers the revoke.
    TestProbe<LockAgent.Command> stuck = nodes.get(2).createTestProbe();
    Reply<ExtentGrant> granted = entity.<Reply<ExtentGrant>>ask(r -> new FileObject.Acquire(node2,
        77, true, 0, 100, stuck.getRef(), r), WAIT).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(granted.isOk(), granted.toString());
    Res write = send(0, "PUT", "/ssi/files/locks/g?offset=0", bytes("LEASED"));
    assertEquals(200, write.status(), write.text());
    LockAgent.Revoke revoke = stuck.expectMessageClass(LockAgent.Revoke.class);
    assertEquals(77, revoke.id());
    assertArrayEquals(bytes("LEASED bytes"), read(1, "/locks/g"));

    // A node that is not a member (it left while its request travelled) gets no extent.
    Reply<ExtentGrant> refused = entity.<Reply<ExtentGrant>>ask(r -> new FileObject.Acquire(
        "akka://FilesRoutesTest@10.0.0.1:1", 78, true, 0, 100, stuck.getRef(), r), WAIT)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(ssi.actors.lwkt.Errno.EHOSTDOWN, refused.errno());
    JsonNode view = awaitServer(fh.objectId(), o -> true);
    for (JsonNode g : view.path("grants")) {
      assertFalse(g.path("node").asText().contains("10.0.0.1"), view.toString());
    }
    ok(send(1, "PUT", "/ssi/files/locks/g?offset=0", bytes("leased")));
    assertArrayEquals(bytes("leased bytes"), read(0, "/locks/g"));
  }

  private static GlobalFileHandle handle(Res put) throws Exception {
    String[] h = put.json().path("handle").asText().split("\\.");
    return new GlobalFileHandle(Long.parseLong(h[0]), Long.parseLong(h[1]));
  }

  /** Node {@code n}'s entry for {@code obj} in /ssi/locks (null: none) once {@code test} holds. */
  private static JsonNode awaitLocks(int n, long obj, java.util.function.Predicate<JsonNode> test)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode found = null;
      for (JsonNode o : ok(send(n, "GET", "/ssi/locks", null)).json().path("objects")) {
        if (o.path("object").asLong() == obj) {
          found = o;
        }
      }
      if (test.test(found)) {
        return found;
      }
      assertFalse(System.nanoTime() > deadline, "node " + n + " shows for " + obj + ": " + found);
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
    }
  }

  /** The lock server's view of {@code obj}, from whichever node runs it, once {@code test} holds. */
  private static JsonNode awaitServer(long obj, java.util.function.Predicate<JsonNode> test)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (int n = 0; n < 3; n++) {
        for (JsonNode o : ok(send(n, "GET", "/ssi/locks", null)).json().path("servers")) {
          if (o.path("object").asLong() == obj && test.test(o)) {
            return o;
          }
        }
      }
      assertFalse(System.nanoTime() > deadline, "no lock server shows " + obj);
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
    }
  }

}

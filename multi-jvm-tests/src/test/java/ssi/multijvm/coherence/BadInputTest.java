package ssi.multijvm.coherence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ssi.multijvm.coherence.CacheHttp.PAGE;
import static ssi.multijvm.coherence.CacheHttp.dataUrl;
import static ssi.multijvm.coherence.CacheHttp.pageOf;
import static ssi.multijvm.coherence.CacheHttp.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.multijvm.harness.MultiJvm;
import ssi.multijvm.harness.NodeProcess;
import ssi.multijvm.harness.TestCluster;

/**
 * Bad input on the object routes (DESIGN §12 invariant 8): a bad id, a negative, non-numeric or
 * overflowing offset, a missing, zero or too large length, an empty body and a body over
 * {@code ssi.http.max-body} (with or without a Content-Length) each get a JSON 4xx; every refused
 * PUT aimed at a page holding known data, which afterwards reads unchanged through every node,
 * with the stored serial unchanged, and the nodes stay Up.
 */
@ExtendWith(MultiJvm.class)
class BadInputTest {

  private static final long OBJ = 4501;
  private static final int MAX_BODY = 64 * 1024;

  private final CacheHttp http = new CacheHttp();

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void badRequestsGetJson4xxAndChangeNothing(TestCluster cluster) throws Exception {
    cluster.withProperty("ssi.http.max-body", "64KiB").start(3);
    NodeProcess n1 = cluster.node(1);
    NodeProcess n2 = cluster.node(2);
    byte[] known = pageOf("known");
    http.write(n1, OBJ, 0, known);
    assertEquals(200, http.fsync(n1, OBJ).status());
    long serial = record(http.coherence(n2, OBJ), 0).path("serial").asLong();
    String data = dataUrl(n2, Long.toString(OBJ));
    byte[] other = pageOf("overwritten");

    // Ids.
    refused(http.get(dataUrl(n2, "abc") + "?offset=0&length=16"), "GET bad id");
    refused(http.send("PUT", dataUrl(n2, "abc") + "?offset=0", body(other)), "PUT bad id");
    refused(http.send("PUT", dataUrl(n2, "-" + OBJ) + "?offset=0", body(other)),
        "PUT negative id");
    refused(http.send("PUT", dataUrl(n2, "99999999999999999999") + "?offset=0", body(other)),
        "PUT id over 64 bits");
    refused(http.get(n2.baseUrl() + "/ssi/objects/abc/coherence"), "coherence of a bad id");
    refused(http.send("POST", n2.baseUrl() + "/ssi/objects/abc/fsync", body(new byte[0])),
        "fsync of a bad id");
    // Offsets.
    refused(http.get(data + "?offset=-1&length=16"), "GET negative offset");
    refused(http.get(data + "?offset=x&length=16"), "GET non-numeric offset");
    refused(http.get(data + "?offset=" + Long.MAX_VALUE + "&length=16"), "GET offset overflow");
    refused(http.send("PUT", data + "?offset=-4096", body(other)), "PUT negative offset");
    refused(http.send("PUT", data + "?offset=zero", body(other)), "PUT non-numeric offset");
    refused(http.send("PUT", data + "?offset=" + (Long.MAX_VALUE - 10), body(other)),
        "PUT offset overflow");
    // Lengths.
    refused(http.get(data + "?offset=0"), "GET without length");
    refused(http.get(data + "?offset=0&length=0"), "GET length 0");
    refused(http.get(data + "?offset=0&length=-5"), "GET negative length");
    refused(http.get(data + "?offset=0&length=" + (MAX_BODY + 1)), "GET length over max-body");
    // Bodies.
    refused(http.send("PUT", data + "?offset=0", body(new byte[0])), "PUT empty body");
    byte[] huge = new byte[MAX_BODY + 1];
    Arrays.fill(huge, (byte) 'x');
    refused(http.send("PUT", data + "?offset=0", body(huge)), "PUT over max-body");
    refused(http.send("PUT", data + "?offset=0", chunked(huge)),
        "PUT over max-body, chunked (no Content-Length)");

    // Nothing changed: the page reads as before through every node, the store was not written.
    for (NodeProcess n : cluster.nodes()) {
      assertArrayEquals(known, http.read(n, OBJ, 0, PAGE), n.name() + " reads the page changed");
      assertArrayEquals(new byte[PAGE], http.read(n, OBJ, PAGE, PAGE),
          n.name() + " reads page 1 changed");
    }
    JsonNode view = http.coherence(n1, OBJ);
    assertEquals(serial, record(view, 0).path("serial").asLong(), view.toString());
    cluster.awaitAllUp(cluster.nodes());
    // A good request at the size limit still works.
    byte[] atLimit = new byte[MAX_BODY];
    Arrays.fill(atLimit, (byte) 'y');
    http.write(n2, OBJ, PAGE, atLimit);
    assertArrayEquals(atLimit, http.read(n1, OBJ, PAGE, MAX_BODY));
  }

  /** A refusal: a 4xx with a JSON body. */
  private static void refused(CacheHttp.Raw r, String what) throws Exception {
    assertTrue(r.status() >= 400 && r.status() < 500, what + ": " + r);
    JsonNode j = r.json();
    assertTrue(j.isObject() && j.size() > 0, what + ": the body is no JSON object: " + r);
  }

  private static HttpRequest.BodyPublisher body(byte[] bytes) {
    return HttpRequest.BodyPublishers.ofByteArray(bytes);
  }

  /** A body sent chunked, so the server learns its size only while reading it. */
  private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes));
  }
}

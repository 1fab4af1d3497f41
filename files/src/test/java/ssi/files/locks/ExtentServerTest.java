package ssi.files.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock server's rules alone: expansion for a lone node, disjoint extents of several nodes at
 * once, revokes of what blocks a waiter (once each), FIFO fairness (a writer behind readers is not
 * overtaken by later readers), node loss, the lease, and no grant before recovery.
 */
class ExtentServerTest {

  private static final long EOF = ExtentServer.EOF;

  private static List<Long> ids(List<ExtentServer.Entry<String>> entries) {
    return entries.stream().map(e -> e.id).toList();
  }

  @Test
  void aLoneNodeGetsTheWholeFileAndDisjointExtentsOfTwoNodesAreHeldAtOnce() {
    ExtentServer<String> s = ExtentServer.paused();
    s.resume(0);
    var fx = s.request("a", 1, true, 10, 20, "a1", 0);
    assertEquals(List.of(1L), ids(fx.granted()));
    assertEquals(0, fx.granted().get(0).start);
    assertEquals(EOF, fx.granted().get(0).end, "alone: the whole file");

    // b's request conflicts with a's whole-file extent: a's is revoked, b waits.
    fx = s.request("b", 2, true, 100, 200, "b2", 1);
    assertEquals(List.of(), ids(fx.granted()));
    assertEquals(List.of(1L), ids(fx.revoke()));
    assertEquals(List.of(), ids(s.request("b", 2, true, 100, 200, "b2", 2).revoke()),
        "a repeated request changes nothing");
    fx = s.release(1, 3);
    assertEquals(List.of(2L), ids(fx.granted()));
    assertEquals(100, fx.granted().get(0).start, "not alone: exactly the range asked");
    assertEquals(200, fx.granted().get(0).end);

    // a again, a disjoint range: granted beside b's, nothing revoked.
    fx = s.request("a", 3, true, 0, 100, "a3", 4);
    assertEquals(List.of(3L), ids(fx.granted()));
    assertEquals(List.of(), ids(fx.revoke()));
    assertEquals(100, fx.granted().get(0).end);
  }

  @Test
  void sharedExtentsCoexistAndAWriterBehindReadersIsNotOvertaken() {
    ExtentServer<String> s = ExtentServer.paused();
    s.resume(0);
    s.request("a", 1, false, 0, 10, "", 0); // whole file, shared
    assertEquals(List.of(2L), ids(s.request("b", 2, false, 0, 10, "", 0).granted()));
    var fx = s.request("c", 3, true, 5, 6, "", 0);
    assertEquals(List.of(), ids(fx.granted()));
    assertEquals(List.of(1L, 2L), ids(fx.revoke()), "both readers revoked, once each");
    fx = s.request("d", 4, false, 0, 10, "", 1);
    assertEquals(List.of(), ids(fx.granted()), "a later reader queues behind the writer");
    assertEquals(List.of(), ids(fx.revoke()), "and revokes nothing more");
    assertEquals(List.of(), ids(s.release(1, 2).granted()));
    assertEquals(List.of(3L), ids(s.release(2, 3).granted()), "the writer first");
    assertEquals(List.of(4L), ids(s.release(3, 4).granted()), "then the reader");
  }

  @Test
  void aGoneNodesExtentsGoAndAnUnansweredRevokeEndsWithTheLease() {
    ExtentServer<String> s = ExtentServer.paused();
    s.resume(0);
    s.request("a", 1, true, 0, 10, "", 0);
    s.request("b", 2, true, 0, 10, "", 0);
    var fx = s.nodeGone("a", 1);
    assertEquals(List.of(1L), ids(fx.dropped()));
    assertEquals(List.of(2L), ids(fx.granted()));

    s.request("c", 3, false, 0, 10, "", 10); // revokes b's at t=10
    assertTrue(s.expire(10 + 50, 100).isEmpty(), "within the lease nothing happens");
    fx = s.expire(10 + 101, 100);
    assertEquals(List.of(2L), ids(fx.dropped()));
    assertEquals(List.of(3L), ids(fx.granted()));
    assertEquals(List.of(3L), ids(s.entries()));
  }

  @Test
  void aRevokedExtentShrunkToItsUsersLetsAWaiterBesideThemThrough() {
    ExtentServer<String> s = ExtentServer.paused();
    s.resume(0);
    s.request("a", 1, true, 0, 10, "", 0); // whole file
    assertEquals(List.of(1L), ids(s.request("b", 2, true, 100, 110, "", 0).revoke()));
    assertTrue(s.shrink(1, 50, 2000, 1).granted().isEmpty(), "still overlapping: b waits");
    assertTrue(s.shrink(1, 0, EOF, 1).isEmpty(), "never grows back");
    var fx = s.shrink(1, 50, 60, 2);
    assertEquals(List.of(2L), ids(fx.granted()), "beside a's users now");
    assertEquals(60, s.entries().get(0).end);
  }

  @Test
  void nothingIsGrantedBeforeRecoveryEndsAndAWaiterThatGivesUpIsGone() {
    ExtentServer<String> s = ExtentServer.paused();
    assertTrue(s.request("a", 1, true, 0, 10, "", 0).granted().isEmpty());
    assertTrue(s.request("b", 2, true, 20, 30, "", 0).granted().isEmpty());
    assertTrue(s.release(2, 1).granted().isEmpty(), "b gave up while waiting");
    var fx = s.resume(2);
    assertEquals(List.of(1L), ids(fx.granted()));
    assertEquals(0, fx.granted().get(0).start, "a was alone when it asked");
    assertFalse(s.isEmpty());
    assertTrue(s.release(99, 3).isEmpty(), "an unknown id changes nothing");
  }
}

package ssi.files.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.LockRange;

/**
 * One file's locks on two "nodes" ({@link ObjectLocks} a and b) against one real {@link
 * ExtentServer}, wired synchronously in this thread (no actors): a lock inside a cached extent
 * sends nothing, disjoint locks of two nodes are held at once, a conflicting one waits for the
 * revoke and the holder's release, a revoke that overtakes its grant still lets the asker use it
 * once, a new server incarnation recovers every old extent (the acknowledgement waits for users)
 * and a late grant of the old one is refused and asked again.
 */
class ObjectLocksTest {

  /** A lock server in this thread for any number of nodes. */
  private static final class Wire {
    final ExtentServer<CompletableFuture<Reply<ExtentGrant>>> server = ExtentServer.paused();
    final Map<String, ObjectLocks> nodes = new HashMap<>();
    long epoch = 1;
    int requests;
    boolean hold; // keep grants back (to reorder them)
    final List<Runnable> held = new java.util.ArrayList<>();
    final List<String> events = new java.util.ArrayList<>();
    final List<CompletableFuture<Void>> commits = new java.util.ArrayList<>();

    Wire() {
      server.resume(0);
    }

    ObjectLocks node(String name) {
      ObjectLocks o = new ObjectLocks(7, new ObjectLocks.Server() {
        @Override
        public CompletionStage<Reply<ExtentGrant>> request(long obj, long id, boolean x, long s,
            long e) {
          requests++;
          CompletableFuture<Reply<ExtentGrant>> f = new CompletableFuture<>();
          apply(server.request(name, id, x, s, e, f, 0));
          return f;
        }

        @Override
        public void release(long obj, long id) {
          events.add(name + " releases");
          apply(server.release(id, 0));
        }

        @Override
        public void shrink(long obj, long id, long s, long e) {
          apply(server.shrink(id, s, e, 0));
        }

        @Override
        public CompletionStage<?> commit(long obj, long length, long mtime) {
          events.add(name + " commits " + length);
          CompletableFuture<Void> f = new CompletableFuture<>();
          commits.add(f);
          return f;
        }
      }, Duration.ofSeconds(5), 4);
      nodes.put(name, o);
      return o;
    }

    void apply(ExtentServer.Effects<CompletableFuture<Reply<ExtentGrant>>> fx) {
      long ep = epoch;
      for (var e : fx.granted()) {
        Runnable r = () -> e.context.complete(Reply.ok(new ExtentGrant(ep, e.id, e.exclusive,
            e.start, e.end)));
        if (hold) {
          held.add(r);
        } else {
          r.run();
        }
      }
      for (var e : fx.revoke()) {
        nodes.get(e.node).revoke(e.id);
      }
    }
  }

  private static CompletableFuture<Reply<NodeLock>> lock(ObjectLocks o, LockMode mode, long off,
      long len) {
    assertTrue(o.enter());
    return o.acquire(new LockOwner("n", off), List.of(new LockRange(mode, off, len)))
        .toCompletableFuture();
  }

  private static NodeLock held(CompletableFuture<Reply<NodeLock>> f) {
    assertTrue(f.isDone(), "granted at once");
    Reply<NodeLock> r = f.join();
    assertTrue(r.isOk(), r.toString());
    return r.value();
  }

  @Test
  void aCoveredLockSendsNothingAndDisjointLocksOfTwoNodesAreHeldTogether() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    ObjectLocks b = w.node("b");
    held(lock(a, LockMode.EXCLUSIVE, 0, 10)).release();
    assertEquals(1, w.requests);
    NodeLock a2 = held(lock(a, LockMode.EXCLUSIVE, 5000, 10));
    NodeLock a3 = held(lock(a, LockMode.SHARED, 20, 10));
    assertEquals(1, w.requests, "inside the cached whole-file extent: no message");

    // b writes elsewhere: a's whole-file extent is revoked; b waits until a's users are done.
    var b1 = lock(b, LockMode.EXCLUSIVE, 100, 10);
    assertFalse(b1.isDone());
    assertTrue(a.extents().get(0).revoking());
    a2.release();
    assertFalse(b1.isDone());
    a3.release();
    NodeLock bl = held(b1);
    // Now a asks for exactly its range and gets it beside b's.
    NodeLock a4 = held(lock(a, LockMode.EXCLUSIVE, 0, 10));
    assertEquals(0, a.extents().get(0).start());
    assertEquals(10, a.extents().get(0).end());
    assertEquals(100, b.extents().get(0).start());
    a4.release();
    bl.release();
    assertEquals(Errno.EBADF, bl.release());
  }

  @Test
  void aRevokeThatOvertakesItsGrantLetsTheAskerUseItOnce() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    w.hold = true;
    var a1 = lock(a, LockMode.EXCLUSIVE, 0, 10);
    w.hold = false;
    var b1 = lock(w.node("b"), LockMode.EXCLUSIVE, 0, 10);
    // The server granted a and revoked it for b; the revoke reached a before the grant.
    assertFalse(a1.isDone());
    w.held.forEach(Runnable::run);
    NodeLock al = held(a1);
    assertTrue(a.extents().get(0).revoking());
    assertFalse(b1.isDone());
    al.release();
    assertTrue(a.extents().isEmpty(), "given back after its one use");
    held(b1).release();
  }

  @Test
  void aNewIncarnationRecoversOldExtentsAndALateOldGrantIsRefused() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    NodeLock old = held(lock(a, LockMode.EXCLUSIVE, 0, 10));
    // The server restarts (its state is gone) with epoch 2.
    w.server.nodeGone("a", 0);
    w.epoch = 2;
    AtomicBoolean acked = new AtomicBoolean();
    a.recover(2, () -> acked.set(true));
    assertFalse(acked.get(), "an old extent is still in use");
    old.release();
    assertTrue(acked.get());
    assertTrue(a.extents().isEmpty());

    // A grant of epoch 1 that arrives now is refused; the lock is asked for again.
    w.epoch = 1;
    w.hold = true;
    var late = lock(a, LockMode.EXCLUSIVE, 0, 10);
    w.hold = false;
    w.epoch = 2;
    w.held.forEach(Runnable::run);
    NodeLock l = held(late);
    assertEquals(3, w.requests, "the first lock, the refused late grant, the one asked again");
    assertEquals(1, a.extents().size());
    l.release();
  }

  @Test
  void aDeferredLengthIsShownAndCommittedBeforeTheEndOfTheFileIsGivenBack() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    NodeLock l = held(lock(a, LockMode.EXCLUSIVE, 0, 100)); // alone: the whole file
    assertTrue(a.deferLength(l, 100, 5), "exclusive to the end of the file: deferred");
    assertTrue(a.deferLength(l, 80, 7));
    l.release();
    assertEquals(100, a.attrs()[0], "the longest length kept");
    assertEquals(7, a.attrs()[1], "the latest mtime");

    // b reads: a's extent is revoked; a commits first, and lets go only once that is stored.
    var b1 = lock(w.node("b"), LockMode.SHARED, 0, 10);
    assertEquals(List.of("a commits 100"), w.events);
    assertFalse(b1.isDone());
    assertEquals(100, a.attrs()[0], "still shown to glimpses while the commit is in flight");
    w.commits.get(0).complete(null);
    assertEquals(List.of("a commits 100", "a releases"), w.events);
    assertEquals(null, a.attrs());
    NodeLock bl = held(b1);
    assertFalse(w.nodes.get("b").deferLength(bl, 200, 9), "a shared lock never defers");
    bl.release();
  }

  @Test
  void aLockNeverWaitsBehindAnUnrelatedRequestOnItsWay() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    ObjectLocks b = w.node("b");
    held(lock(a, LockMode.EXCLUSIVE, 500, 1)).release(); // a alone: the whole file, idle
    NodeLock bl = held(lock(b, LockMode.SHARED, 1000, 1)); // takes it from a, exactly
    held(lock(a, LockMode.EXCLUSIVE, 0, 10)).release();  // a caches [0, 10)
    var blocked = lock(a, LockMode.EXCLUSIVE, 1000, 1);  // waits for b
    assertFalse(blocked.isDone());
    NodeLock beside = held(lock(a, LockMode.EXCLUSIVE, 200, 10)); // asked beside it: at once
    beside.release();
    bl.release();
    held(blocked).release();
  }

  @Test
  void anExtentGoesBackOnlyAfterACommitAlreadyOnItsWayIsStored() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    NodeLock l = held(lock(a, LockMode.EXCLUSIVE, 0, 100));
    assertTrue(a.deferLength(l, 100, 5));
    l.release();
    a.commitDirty(); // the periodic write-back: on its way
    assertEquals(List.of("a commits 100"), w.events);
    var b1 = lock(w.node("b"), LockMode.SHARED, 0, 10); // revokes a's extent; nothing new to commit
    assertEquals(List.of("a commits 100"), w.events, "released before the length was stored");
    assertFalse(b1.isDone());
    w.commits.get(0).complete(null);
    assertEquals(List.of("a commits 100", "a releases"), w.events);
    held(b1).release();
  }

  @Test
  void aLeavingNodeDefersNothing() {
    Wire w = new Wire();
    AtomicBoolean leaving = new AtomicBoolean();
    ObjectLocks a = new ObjectLocks(7, w.node("x").server(), Duration.ofSeconds(5), 4,
        leaving::get);
    w.nodes.put("x", a);
    NodeLock l = held(lock(a, LockMode.EXCLUSIVE, 0, 10));
    assertTrue(a.deferLength(l, 10, 1));
    leaving.set(true);
    assertFalse(a.deferLength(l, 20, 2), "leaving: the writer commits its length itself");
    assertEquals(10, a.attrs()[0]);
    l.release();
  }

  @Test
  void unusedExtentsBeyondTheBoundAndIdleOnesGoBackAndAnIdleManagerRetires() {
    Wire w = new Wire();
    ObjectLocks a = w.node("a");
    ObjectLocks b = w.node("b");
    held(lock(a, LockMode.EXCLUSIVE, 5000, 1)).release(); // a's whole-file extent, idle
    NodeLock bl = held(lock(b, LockMode.SHARED, 1000, 1)); // takes it back from a at once
    assertEquals(1001, b.extents().get(0).end(), "b was not alone: exactly its range");
    for (int i = 0; i < 6; i++) {
      held(lock(a, LockMode.EXCLUSIVE, i * 10L, 10)).release();
    }
    assertEquals(4, a.extents().size(), "at most max-cached-extents kept");
    assertFalse(a.sweep(System.nanoTime(), Duration.ofHours(1).toNanos()), "recently used");
    assertTrue(a.sweep(System.nanoTime() + Duration.ofHours(2).toNanos(),
        Duration.ofHours(1).toNanos()));
    assertTrue(a.extents().isEmpty());
    assertFalse(a.enter(), "a retired manager takes no one in");
    assertEquals(1, w.server.entries().size(), "only b's extent is left at the server");
    bl.release();
  }
}

package ssi.files.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.rangelock.Lock;
import ssi.cache.rangelock.LockInfo;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.LockRange;
import ssi.cache.rangelock.RangeLock;

/**
 * One file's range locks on this node (DESIGN §8): a local {@link RangeLock} (FIFO-fair, disjoint
 * ranges in parallel) for the node's own callers, plus the <em>extents</em> the file's lock
 * server ({@link ExtentServer}) has granted this node. A lock is held when the local lock is
 * granted and a cached extent of a strong enough mode covers its range: a range already covered
 * costs no message at all; otherwise one request goes to the server (callers that miss while
 * a request for an overlapping range is on its way, or while nothing is cached yet, wait for it
 * and look again, so one whole-file grant serves them all; others ask beside it).
 *
 * <p>An extent stays cached after its users are done. A revoke from the server marks it: no new
 * user takes it, and it is given back when its last user releases. A new server incarnation
 * (the entity restarted elsewhere) recovers: every extent of an older one is given up the same
 * way before it acknowledges, and a grant of an older incarnation arriving late is refused.
 * Thread-safe; the monitor is held only for bookkeeping, never across a wait.
 */
final class ObjectLocks {

  /** How this node reaches the file's lock server. */
  interface Server {
    /** Asks for an extent; completes with the grant or an error (ETIMEDOUT, EHOSTDOWN, EIO). */
    CompletionStage<Reply<ExtentGrant>> request(long obj, long id, boolean exclusive, long start,
        long end);

    /** Gives back (held) or gives up (waiting) the extent {@code id}. */
    void release(long obj, long id);

    /** Extent {@code id}, revoked while in use, now covers only {@code [start, end)}. */
    void shrink(long obj, long id, long start, long end);

    /**
     * Commits attributes this node deferred: the length raised to at least {@code length}, the
     * mtime set. Called under the ObjectLocks monitor, so it must only enqueue the store's
     * mutation (the store applies mutations in call order).
     */
    CompletionStage<?> commit(long obj, long length, long mtimeMicros);
  }

  /** An extent request on its way: its range, and what the locks waiting for it wait on. */
  private record Pending(long start, long end, CompletableFuture<Void> done) {
  }

  /** A cached extent. Guarded by the ObjectLocks monitor. */
  static final class Extent {
    final long epoch;
    final long id;
    final boolean exclusive;
    long start;
    long end;
    /** The hulls of the locks using it now: [start, end) pairs. */
    final List<long[]> uses = new ArrayList<>(2);
    int users;
    boolean revoking;
    long lastUsedNanos;

    Extent(ExtentGrant g, long nowNanos) {
      this.epoch = g.epoch();
      this.id = g.id();
      this.exclusive = g.exclusive();
      this.start = g.start();
      this.end = g.end();
      this.lastUsedNanos = nowNanos;
    }

    boolean covers(boolean x, long s, long e) {
      return !revoking && (exclusive || !x) && start <= s && e <= end;
    }
  }

  private static final int RETRIES = 3;

  final long obj;
  private final RangeLock local;
  private final Server server;
  private final Duration timeout;
  private final int maxCached;
  private final java.util.function.BooleanSupplier leaving;

  // Guarded by this.
  private final List<Extent> extents = new ArrayList<>();
  /** Extent requests on their way, by id. */
  private final java.util.Map<Long, Pending> pending = new java.util.HashMap<>();
  private final Set<Long> earlyRevokes = new HashSet<>();
  private long knownEpoch;
  private Runnable recoveryAck;
  /**
   * Attributes changed here and not yet in the store (-1: none): only while this node holds an
   * exclusive extent reaching the end of the file, the one place the length can grow.
   */
  private long dirtyLength = -1;
  private long dirtyMtime;
  /** What a commit in flight carries, still shown to glimpses until it is stored (-1: none). */
  private long committingLength = -1;
  private long committingMtime;
  /** Completes when every commit started so far is stored. */
  private CompletableFuture<?> commits = CompletableFuture.completedFuture(null);
  /** Callers between {@link #enter()} and the end of their lock (or its failure). */
  private int active;
  private boolean dead;

  ObjectLocks(long obj, Server server, Duration timeout, int maxCached) {
    this(obj, server, timeout, maxCached, () -> false);
  }

  /** {@code leaving}: the node is leaving, so no length is deferred any more. */
  ObjectLocks(long obj, Server server, Duration timeout, int maxCached,
      java.util.function.BooleanSupplier leaving) {
    this.leaving = leaving;
    this.obj = obj;
    this.local = new RangeLock(obj);
    this.server = server;
    this.timeout = timeout;
    this.maxCached = maxCached;
  }

  /** How this manager reaches the lock server. */
  Server server() {
    return server;
  }

  /** Counts a caller in; false if this manager was retired (take a fresh one). */
  synchronized boolean enter() {
    if (dead) {
      return false;
    }
    active++;
    return true;
  }

  /**
   * Locks {@code ranges} of the file all at once (the caller has {@link #enter}ed): the local
   * lock first, then an extent covering their hull. ETIMEDOUT when either takes longer than the
   * timeout; nothing stays held on any error.
   */
  CompletionStage<Reply<NodeLock>> acquire(LockOwner owner, List<LockRange> ranges) {
    long s = Long.MAX_VALUE;
    long e = 0;
    boolean x = false;
    for (LockRange r : ranges) {
      s = Math.min(s, r.offset());
      e = Math.max(e, r.offset() + r.length());
      x |= r.mode() == LockMode.EXCLUSIVE;
    }
    long start = s;
    long end = e;
    boolean exclusive = x;
    if (ranges.size() == 1) { // the fast path: free here and inside a cached extent
      Lock now = local.tryAcquire(owner, ranges.get(0).mode(), start, end - start);
      if (now != null) {
        synchronized (this) {
          for (Extent ext : extents) {
            if (ext.covers(exclusive, start, end)) {
              return CompletableFuture.completedFuture(Reply.ok(use(ext, now, start, end)));
            }
          }
        }
        return cover(now, exclusive, start, end, 0).thenApply(c -> {
          if (!c.isOk()) {
            now.release();
            leave();
          }
          return c;
        });
      }
    }
    CompletionStage<Reply<Lock>> held = ranges.size() == 1
        ? local.acquire(owner, ranges.get(0).mode(), start, end - start, timeout)
        : local.acquire(owner, ranges, timeout);
    return held.thenCompose(l -> {
      if (!l.isOk()) {
        leave();
        return CompletableFuture.completedFuture(Reply.<NodeLock>error(l.errno()));
      }
      return cover(l.value(), exclusive, start, end, 0).thenApply(c -> {
        if (!c.isOk()) {
          l.value().release();
          leave();
        }
        return c;
      });
    });
  }

  /** Finds or asks for an extent covering [s, e) in mode x, for the held local lock. */
  private CompletionStage<Reply<NodeLock>> cover(Lock lock, boolean x, long s, long e,
      int attempt) {
    CompletableFuture<Void> wait;
    long id;
    synchronized (this) {
      for (Extent ext : extents) {
        if (ext.covers(x, s, e)) {
          return CompletableFuture.completedFuture(Reply.ok(use(ext, lock, s, e)));
        }
      }
      // Wait for a request on its way that may bring what this lock needs: one for an
      // overlapping range, or any while nothing is cached yet (a first grant is often the whole
      // file). Otherwise ask at once, beside it: a lock never waits behind an unrelated one.
      wait = null;
      for (Pending p : pending.values()) {
        if (extents.isEmpty() || (p.start() < e && s < p.end())) {
          wait = p.done();
          break;
        }
      }
      if (wait == null) {
        id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        pending.put(id, new Pending(s, e, new CompletableFuture<>()));
      } else {
        id = 0;
      }
    }
    if (wait != null) {
      return wait.thenCompose(v -> cover(lock, x, s, e, attempt));
    }
    return server.request(obj, id, x, s, e)
        .exceptionally(t -> Reply.error(Errno.EIO))
        .thenCompose(g -> installed(lock, x, s, e, attempt, id, g));
  }

  private CompletionStage<Reply<NodeLock>> installed(Lock lock, boolean x, long s, long e,
      int attempt, long id, Reply<ExtentGrant> g) {
    CompletableFuture<Void> done;
    NodeLock result = null;
    boolean stale = false;
    synchronized (this) {
      done = pending.remove(id).done();
      boolean revokedEarly = earlyRevokes.remove(id);
      if (g.isOk()) {
        ExtentGrant grant = g.value();
        if (grant.epoch() < knownEpoch) {
          stale = true; // granted by an incarnation that has been replaced since
        } else {
          knownEpoch = grant.epoch();
          Extent ext = new Extent(grant, System.nanoTime());
          ext.revoking = revokedEarly; // the caller that asked uses it even so
          extents.add(ext);
          result = use(ext, lock, s, e);
        }
      }
    }
    done.complete(null);
    if (result != null) {
      return CompletableFuture.completedFuture(Reply.ok(result));
    }
    server.release(obj, id); // a late grant, a timeout: give it up at the server (never used)
    if (stale && attempt < RETRIES) {
      return cover(lock, x, s, e, attempt + 1);
    }
    return CompletableFuture.completedFuture(Reply.error(stale ? Errno.EAGAIN : g.errno()));
  }

  /** A new user of {@code ext} over [s, e) (under the monitor). */
  private NodeLock use(Extent ext, Lock lock, long s, long e) {
    long[] range = {s, e};
    ext.users++;
    ext.uses.add(range);
    return new NodeLock(this, lock, ext, range);
  }

  /** A lock's release: its extent loses a user; a revoked one goes back once unused. */
  void released(NodeLock l) {
    l.local().release();
    List<Long> giveBack = new ArrayList<>(1);
    Runnable ack;
    synchronized (this) {
      Extent ext = l.extent();
      ext.users--;
      ext.uses.remove(l.range());
      ext.lastUsedNanos = System.nanoTime();
      if (ext.users == 0 && ext.revoking) {
        extents.remove(ext);
        giveBack.add(ext.id);
      }
      trim(giveBack);
      active--;
      ack = recoveryDone();
    }
    send(giveBack, null, ack);
  }

  /**
   * Sends releases, a shrink and a recovery acknowledgement — after committing the deferred
   * attributes, if any, so nobody gets the end of the file before its length is in the store.
   */
  private void send(List<Long> giveBack, long[] shrink, Runnable ack) {
    if (giveBack.isEmpty() && shrink == null && ack == null) {
      return;
    }
    Runnable go = () -> {
      giveBack.forEach(id -> server.release(obj, id));
      if (shrink != null) {
        server.shrink(obj, shrink[0], shrink[1], shrink[2]);
      }
      if (ack != null) {
        ack.run();
      }
    };
    CompletionStage<?> committed = commitDirty();
    if (committed == null) {
      go.run();
    } else {
      committed.whenComplete((r, e) -> go.run());
    }
  }

  /**
   * Starts committing the deferred attributes; completes when they and every commit started
   * before are stored (a periodic one may still be on its way when an extent is given back).
   * Null when nothing is deferred or on its way.
   */
  synchronized CompletionStage<?> commitDirty() {
    if (dirtyLength >= 0) {
      long length = dirtyLength;
      long mtime = dirtyMtime;
      dirtyLength = -1;
      committingLength = Math.max(committingLength, length);
      committingMtime = Math.max(committingMtime, mtime);
      CompletableFuture<?> stage = server.commit(obj, length, mtime).toCompletableFuture()
          .handle((r, e) -> {
            synchronized (this) {
              if (committingLength == length) {
                committingLength = -1;
                committingMtime = 0;
              }
            }
            return null;
          });
      commits = CompletableFuture.allOf(commits, stage);
    }
    return commits.isDone() ? null : commits;
  }

  /**
   * A write under {@code l} made the file at least {@code length} long: deferred here (true) when
   * the lock's extent is exclusive and reaches the end of the file and is not being given back;
   * otherwise (false) the writer commits the length itself.
   */
  synchronized boolean deferLength(NodeLock l, long length, long mtimeMicros) {
    Extent ext = l.extent();
    // leaving is read under the monitor: a commit of everything that follows the flag sees it
    if (!ext.exclusive || ext.end != ExtentServer.EOF || ext.revoking || leaving.getAsBoolean()) {
      return false;
    }
    dirtyLength = Math.max(dirtyLength, length);
    dirtyMtime = Math.max(dirtyMtime, mtimeMicros);
    return true;
  }

  /** The attributes changed here and not yet stored, {length, mtime micros}; null if none. */
  synchronized long[] attrs() {
    long length = Math.max(dirtyLength, committingLength);
    return length < 0 ? null : new long[] {length, Math.max(dirtyMtime, committingMtime)};
  }

  /**
   * Sets the length exactly (a truncate, holding the whole file exclusively): the deferred
   * attributes are dropped and {@code set} is called under the monitor, so no commit of them
   * can be ordered after it.
   */
  synchronized <T> T truncated(java.util.function.Supplier<T> set) {
    dirtyLength = -1;
    return set.get();
  }

  /** A caller that entered gave up before holding anything. */
  private synchronized void leave() {
    active--;
  }

  /** Beyond {@code maxCached} extents, unused ones go back, least recently used first. */
  private void trim(List<Long> giveBack) {
    while (extents.size() > maxCached) {
      Extent lru = null;
      for (Extent ext : extents) {
        if (ext.users == 0 && (lru == null || ext.lastUsedNanos < lru.lastUsedNanos)) {
          lru = ext;
        }
      }
      if (lru == null) {
        return;
      }
      extents.remove(lru);
      giveBack.add(lru.id);
    }
  }

  /**
   * The server revokes extent {@code id}: given back now if unused, else by its last user; in use,
   * it first shrinks to the hull of its users' ranges (told to the server, so a waiter outside
   * that hull goes ahead at once).
   */
  void revoke(long id) {
    boolean now;
    long[] shrunk = null;
    synchronized (this) {
      Extent ext = find(id);
      if (ext != null) {
        ext.revoking = true;
        now = ext.users == 0;
        if (now) {
          extents.remove(ext);
        } else {
          long s = Long.MAX_VALUE;
          long e = 0;
          for (long[] u : ext.uses) {
            s = Math.min(s, u[0]);
            e = Math.max(e, u[1]);
          }
          if (s > ext.start || e < ext.end) {
            ext.start = s;
            ext.end = e;
            shrunk = new long[] {s, e};
          }
        }
      } else if (pending.containsKey(id)) {
        earlyRevokes.add(id); // the revoke overtook its grant
        now = false;
      } else {
        now = true; // already given back: say so again (the server ignores repeats)
      }
    }
    if (now) {
      send(List.of(id), null, null);
    } else if (shrunk != null) {
      send(List.of(), new long[] {id, shrunk[0], shrunk[1]}, null);
    }
  }

  /**
   * A server incarnation {@code epoch} starts: every extent of an older one is given up (unused
   * ones now, others by their last user); {@code ack} runs once none is left.
   */
  void recover(long epoch, Runnable ack) {
    Runnable run;
    synchronized (this) {
      if (epoch < knownEpoch) {
        run = ack; // an old incarnation's late message: nothing of ours to give up for it
      } else {
        knownEpoch = epoch;
        for (Iterator<Extent> it = extents.iterator(); it.hasNext(); ) {
          Extent ext = it.next();
          if (ext.epoch != epoch) {
            ext.revoking = true;
            if (ext.users == 0) {
              it.remove();
            }
          }
        }
        recoveryAck = ack;
        run = recoveryDone();
      }
    }
    send(List.of(), null, run);
  }

  /** The pending recovery's acknowledgement, if no old extent is left (under the monitor). */
  private Runnable recoveryDone() {
    if (recoveryAck == null) {
      return null;
    }
    for (Extent ext : extents) {
      if (ext.epoch != knownEpoch) {
        return null;
      }
    }
    Runnable ack = recoveryAck;
    recoveryAck = null;
    return ack;
  }

  /**
   * Gives back extents unused for longer than {@code idleNanos}; retires this manager (true) when
   * nothing is left at all, so the caller can forget it.
   */
  boolean sweep(long nowNanos, long idleNanos) {
    List<Long> giveBack = new ArrayList<>();
    boolean retired;
    synchronized (this) {
      for (Iterator<Extent> it = extents.iterator(); it.hasNext(); ) {
        Extent ext = it.next();
        if (ext.users == 0 && nowNanos - ext.lastUsedNanos > idleNanos) {
          it.remove();
          giveBack.add(ext.id);
        }
      }
      retired = extents.isEmpty() && active == 0 && pending.isEmpty() && recoveryAck == null
          && dirtyLength < 0 && committingLength < 0;
      dead = retired;
    }
    send(giveBack, null, null);
    return retired;
  }

  private Extent find(long id) {
    for (Extent ext : extents) {
      if (ext.id == id) {
        return ext;
      }
    }
    return null;
  }

  /** The local locks held and waited for, in arrival order. */
  List<LockInfo> locks() {
    return local.snapshot();
  }

  /** The cached extents. */
  synchronized List<NodeLocks.CachedExtent> extents() {
    List<NodeLocks.CachedExtent> out = new ArrayList<>(extents.size());
    for (Extent e : extents) {
      out.add(new NodeLocks.CachedExtent(e.id, e.exclusive, e.start, e.end, e.users,
          e.revoking));
    }
    return out;
  }
}

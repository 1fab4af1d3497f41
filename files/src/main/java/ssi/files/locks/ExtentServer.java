package ssi.files.locks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster side of one file's range locks (DESIGN §8), kept by its {@link
 * ssi.files.locks.FileObject} entity: which node holds which <em>extent</em> of the file, shared or
 * exclusive. Pure logic — no actors, no clock of its own — so it is tested alone.
 *
 * <p>The model is Lustre's extent locks. A node asks for an extent when a local lock needs a range
 * its cached extents do not cover; once granted, the node keeps it and serves every later local
 * lock inside it with no message at all, until the server revokes it. Disjoint extents of
 * different nodes are held at once, so disjoint writers on several nodes run in parallel.
 *
 * <p>Fairness is the same rule as {@link ssi.cache.rangelock.RangeLock}'s: one list in arrival
 * order; a request is granted when it conflicts with no entry before it, held or waiting. A
 * waiting request has every held extent before it that it conflicts with revoked, once each (the
 * node gives it back when its local users of it are done). Conflict is overlap with at least one
 * side exclusive — also between two extents of the same node (an upgrade gives the shared one
 * back first). A revoked extent still in use shrinks to its users' hull ({@link #shrink}), so a
 * waiter beside that hull need not wait for them. Expansion: a request of a node while no other node holds or waits for anything on
 * the file is granted over the whole file, so a file used by one node costs one message.
 *
 * @param <C> what the entity keeps with a request to answer it (its reply address, the node's agent)
 */
final class ExtentServer<C> {

  /** Offsets run to this: an extent that ends here covers the file whatever its length. */
  static final long EOF = Long.MAX_VALUE;

  /** One request, held or waiting, in arrival order. */
  static final class Entry<C> {
    final String node;
    final long id;
    final boolean exclusive;
    long start;
    long end;
    final C context;
    final long sinceNanos;
    boolean held;
    /** When a revoke was sent (a held extent), or -1. */
    long revokedAtNanos = -1;

    Entry(String node, long id, boolean exclusive, long start, long end, C context,
        long sinceNanos) {
      this.node = node;
      this.id = id;
      this.exclusive = exclusive;
      this.start = start;
      this.end = end;
      this.context = context;
      this.sinceNanos = sinceNanos;
    }

    boolean conflictsWith(Entry<?> o) {
      return (exclusive || o.exclusive) && start < o.end && o.start < end;
    }

    boolean revoked() {
      return revokedAtNanos >= 0;
    }
  }

  /** What a call changed: requests now granted (answer them), held extents to revoke. */
  record Effects<C>(List<Entry<C>> granted, List<Entry<C>> revoke, List<Entry<C>> dropped) {
    static <C> Effects<C> empty() {
      return new Effects<>(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    boolean isEmpty() {
      return granted.isEmpty() && revoke.isEmpty() && dropped.isEmpty();
    }
  }

  private final Map<Long, Entry<C>> entries = new LinkedHashMap<>();
  private boolean paused;

  /** A server that grants nothing until {@link #resume} (the entity recovers first). */
  static <C> ExtentServer<C> paused() {
    ExtentServer<C> s = new ExtentServer<>();
    s.paused = true;
    return s;
  }

  /**
   * Node {@code node} asks for extent {@code id} over {@code [start, end)}. A repeated id is
   * ignored (nothing happens). Expanded to the whole file when no other node has an entry.
   */
  Effects<C> request(String node, long id, boolean exclusive, long start, long end, C context,
      long nowNanos) {
    if (entries.containsKey(id)) {
      return Effects.empty();
    }
    boolean alone = true;
    for (Entry<C> e : entries.values()) {
      alone &= e.node.equals(node);
    }
    Entry<C> e = alone
        ? new Entry<>(node, id, exclusive, 0, EOF, context, nowNanos)
        : new Entry<>(node, id, exclusive, start, end, context, nowNanos);
    entries.put(id, e);
    return pump(nowNanos);
  }

  /** Extent {@code id} given back (held) or given up (waiting); unknown ids change nothing. */
  Effects<C> release(long id, long nowNanos) {
    return entries.remove(id) == null ? Effects.empty() : pump(nowNanos);
  }

  /**
   * Held extent {@code id} is in use only over {@code [start, end)} now: it shrinks to that (a
   * range not inside it, or an unknown or waiting id, changes nothing).
   */
  Effects<C> shrink(long id, long start, long end, long nowNanos) {
    Entry<C> e = entries.get(id);
    if (e == null || !e.held || start < e.start || end > e.end || start >= end) {
      return Effects.empty();
    }
    e.start = start;
    e.end = end;
    return pump(nowNanos);
  }

  /** Everything of {@code node} goes (it left the cluster); the removed entries in dropped. */
  Effects<C> nodeGone(String node, long nowNanos) {
    return dropIf(e -> e.node.equals(node), nowNanos);
  }

  /**
   * Held extents whose revoke has gone unanswered longer than {@code leaseNanos} are dropped
   * (their node is stuck or lost the message): the removed entries in dropped.
   */
  Effects<C> expire(long nowNanos, long leaseNanos) {
    return dropIf(e -> e.held && e.revoked() && nowNanos - e.revokedAtNanos > leaseNanos,
        nowNanos);
  }

  /** Starts granting (after recovery). */
  Effects<C> resume(long nowNanos) {
    paused = false;
    return pump(nowNanos);
  }

  /** Held and waiting entries in arrival order. */
  List<Entry<C>> entries() {
    return List.copyOf(entries.values());
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  private Effects<C> dropIf(java.util.function.Predicate<Entry<C>> which, long nowNanos) {
    List<Entry<C>> gone = new ArrayList<>();
    for (Iterator<Entry<C>> it = entries.values().iterator(); it.hasNext(); ) {
      Entry<C> e = it.next();
      if (which.test(e)) {
        it.remove();
        gone.add(e);
      }
    }
    if (gone.isEmpty()) {
      return Effects.empty();
    }
    Effects<C> fx = pump(nowNanos);
    fx.dropped().addAll(gone);
    return fx;
  }

  /** Grants every waiter that conflicts with nothing before it; revokes what blocks the rest. */
  private Effects<C> pump(long nowNanos) {
    Effects<C> fx = Effects.empty();
    if (paused) {
      return fx;
    }
    List<Entry<C>> before = new ArrayList<>(entries.size());
    for (Entry<C> w : entries.values()) {
      if (!w.held) {
        boolean blocked = false;
        for (Entry<C> b : before) {
          if (w.conflictsWith(b)) {
            blocked = true;
            if (b.held && !b.revoked()) {
              b.revokedAtNanos = nowNanos;
              fx.revoke().add(b);
            }
          }
        }
        if (!blocked) {
          w.held = true;
          fx.granted().add(w);
        }
      }
      before.add(w);
    }
    return fx;
  }
}

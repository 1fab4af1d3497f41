package ssi.files.locks;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.rangelock.LockInfo;
import ssi.cache.rangelock.LockMode;
import ssi.cache.rangelock.LockOwner;
import ssi.cache.rangelock.LockRange;
import ssi.cache.rangelock.ObjectRange;
import ssi.cache.store.PageStores;
import ssi.files.FilesSettings;

/**
 * This node's range lock manager for every file (an Akka extension; DESIGN §8): shared and
 * exclusive locks over byte ranges, FIFO-fair, disjoint ranges in parallel on this node and on
 * others. Each file has an {@link ObjectLocks} here (local locks plus the extents its {@link
 * FileObject lock server} granted this node); a lock inside a cached extent costs no message.
 *
 * <pre>{@code
 * NodeLocks locks = NodeLocks.get(system);
 * locks.acquire(obj, owner, LockMode.EXCLUSIVE, off, len).thenAccept(r -> {
 *   if (r.isOk()) { try { write(...); } finally { r.value().release(); } }
 * });
 * }</pre>
 *
 * <p>Errors are values: EINVAL for a bad range or owner, ETIMEDOUT when the lock is not held
 * within {@code ssi.files.ask-timeout}, EHOSTDOWN or EIO when the server cannot be reached.
 */
public final class NodeLocks implements Extension {

  private static final Id ID = new Id();

  /** One file's cluster grants as its server (on this node) last published them. */
  public record ServerView(long epoch, boolean recovering, List<Grant> grants) {
  }

  /** One extent at a server: held or waiting, by which node. */
  public record Grant(String node, long id, boolean exclusive, long start, long end, boolean held,
      boolean revoked) {
  }

  /** One file's locks on this node: local locks in arrival order, and the cached extents. */
  public record LocalView(List<LockInfo> locks, List<CachedExtent> extents) {
  }

  /** An extent this node holds: its users now, and whether the server has revoked it. */
  public record CachedExtent(long id, boolean exclusive, long start, long end, int users,
      boolean revoking) {
  }

  private final ActorSystem<?> system;
  private final FilesSettings settings;
  private final String self;
  private final ConcurrentHashMap<Long, ObjectLocks> objects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, ServerView> servers = new ConcurrentHashMap<>();
  private final ActorRef<LockAgent.Command> agent;
  private final ObjectLocks.Server server;

  private NodeLocks(ActorSystem<?> system) {
    this.system = system;
    this.settings = FilesSettings.from(system.settings().config());
    this.self = Cluster.get(system).selfMember().address().toString();
    this.agent = system.systemActorOf(LockAgent.create(this, self, settings.extentIdle(),
            settings.attributeWriteBack()),
        LockAgent.NAME, DispatcherSelector.defaultDispatcher());
    this.server = new ObjectLocks.Server() {
      @Override
      public CompletionStage<Reply<ExtentGrant>> request(long obj, long id, boolean exclusive,
          long start, long end) {
        return ClusterSharding.get(system).entityRefFor(FileObject.ENTITY_TYPE_KEY,
                Long.toString(obj))
            .<Reply<ExtentGrant>>ask(r -> new FileObject.Acquire(self, id, exclusive, start, end,
                agent, r), settings.askTimeout())
            .handle((r, e) -> r != null ? r : Reply.<ExtentGrant>error(
                e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                    ? Errno.ETIMEDOUT : Errno.EIO));
      }

      @Override
      public void release(long obj, long id) {
        ClusterSharding.get(system).entityRefFor(FileObject.ENTITY_TYPE_KEY, Long.toString(obj))
            .tell(new FileObject.Release(id));
      }

      @Override
      public CompletionStage<?> commit(long obj, long length, long mtimeMicros) {
        return PageStores.get(system).store()
            .map(st -> st.extendLength(obj, length, micros(mtimeMicros)).thenApply(r -> {
              if (!r.isOk()) {
                system.log().warn("file {}: committing its length {} failed: {}", obj, length,
                    r.errno());
              }
              return r;
            }))
            .orElseGet(() -> CompletableFuture.completedFuture(null));
      }

      @Override
      public void shrink(long obj, long id, long start, long end) {
        ClusterSharding.get(system).entityRefFor(FileObject.ENTITY_TYPE_KEY, Long.toString(obj))
            .tell(new FileObject.Shrink(id, start, end));
      }
    };
    // A node that leaves (drain, ssi down) commits the lengths it defers before the cluster
    // shuts down here, and writes them through from then on (its writers may still run).
    akka.actor.CoordinatedShutdown.get(system).addTask(
        akka.actor.CoordinatedShutdown.PhaseBeforeClusterShutdown(), "ssi-files-commit-lengths",
        () -> {
          leaving = true;
          List<CompletableFuture<Void>> all = new ArrayList<>();
          objects.keySet().forEach(obj -> all.add(commit(obj).toCompletableFuture()));
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .thenApply(v -> akka.Done.getInstance());
        });
  }

  /** This node is leaving: its deferred lengths are committed and no new one is deferred. */
  private volatile boolean leaving;

  /** This node's range locks. */
  public static NodeLocks get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Locks {@code [offset, offset + length)} of file {@code obj} in {@code mode}. */
  public CompletionStage<Reply<NodeLock>> acquire(long obj, LockOwner owner, LockMode mode,
      long offset, long length) {
    return acquire(obj, owner, List.of(new LockRange(mode, offset, length)));
  }

  /** Locks several ranges of one file all at once (merged where they overlap). */
  public CompletionStage<Reply<NodeLock>> acquire(long obj, LockOwner owner,
      List<LockRange> ranges) {
    if (owner == null || ranges == null || ranges.isEmpty()) {
      return done(Errno.EINVAL);
    }
    for (LockRange r : ranges) {
      if (r == null || !r.valid()) {
        return done(Errno.EINVAL);
      }
    }
    while (true) {
      ObjectLocks o = objects.computeIfAbsent(obj, id -> new ObjectLocks(id, server,
          settings.askTimeout(), settings.maxCachedExtents(), () -> leaving));
      if (o.enter()) {
        return o.acquire(owner, ranges);
      }
      objects.remove(obj, o); // retired by a sweep between the lookup and enter()
    }
  }

  // ---- attributes: the length and mtime a size holder defers, and glimpses of them ----

  /**
   * The length and mtime of file {@code obj} that writes on any node have set and not yet
   * committed to the store (DESIGN §7 glimpse): this node's own if it holds them, else those of
   * the node holding an exclusive extent to the end of the file, asked through the file's lock
   * server without taking anything away from it. Null when nobody defers anything.
   */
  public CompletionStage<Reply<FileAttrs>> glimpse(long obj) {
    FileAttrs mine = localAttrs(obj);
    if (mine != null) {
      return CompletableFuture.completedFuture(Reply.ok(mine));
    }
    return ClusterSharding.get(system).entityRefFor(FileObject.ENTITY_TYPE_KEY,
            Long.toString(obj))
        .<Reply<FileAttrs>>ask(r -> new FileObject.Glimpse(self, r), settings.askTimeout())
        .handle((r, e) -> r != null ? r : Reply.<FileAttrs>error(
            e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                ? Errno.ETIMEDOUT : Errno.EIO));
  }

  /** The length this node defers for {@code obj}, or -1. */
  public long localLength(long obj) {
    FileAttrs a = localAttrs(obj);
    return a == null ? -1 : a.length();
  }

  /** This node's deferred attributes of {@code obj}, null if none (answering a glimpse). */
  FileAttrs localAttrs(long obj) {
    ObjectLocks o = objects.get(obj);
    long[] a = o == null ? null : o.attrs();
    return a == null ? null : new FileAttrs(a[0], a[1]);
  }

  /**
   * A write under {@code lock} made the file at least {@code length} long at {@code mtime}:
   * true when this node defers that (it holds the end of the file exclusively), false when the
   * caller must commit it to the store itself.
   */
  public boolean deferLength(NodeLock lock, long length, java.time.Instant mtime) {
    return lock.owner().deferLength(lock, length, toMicros(mtime));
  }

  /** Commits this node's deferred attributes of {@code obj}; completes once stored. */
  public CompletionStage<Void> commit(long obj) {
    ObjectLocks o = objects.get(obj);
    CompletionStage<?> c = o == null ? null : o.commitDirty();
    return c == null ? CompletableFuture.completedFuture(null)
        : c.handle((r, e) -> null).thenApply(x -> null);
  }

  /** Commits every deferred length on this node (the agent's write-back tick). */
  void commitAll() {
    objects.forEach((id, o) -> o.commitDirty());
  }

  /**
   * Runs a truncate's store call {@code set} for {@code lock}'s file with the deferred
   * attributes dropped first, so none of them is committed after it.
   */
  public <T> T truncated(NodeLock lock, java.util.function.Supplier<T> set) {
    return lock.owner().truncated(set);
  }

  static long toMicros(java.time.Instant t) {
    return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t);
  }

  static java.time.Instant micros(long us) {
    return java.time.Instant.EPOCH.plus(us, java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * A transaction: every range of {@code ranges}, on any files, all or nothing. Files are locked
   * in ascending id, each file's ranges at once, so two transactions never deadlock; on any error
   * (ETIMEDOUT included) nothing stays held. EINVAL before anything is locked for bad input.
   */
  public CompletionStage<Reply<List<NodeLock>>> acquireAll(LockOwner owner,
      List<ObjectRange> ranges) {
    if (owner == null || ranges == null || ranges.isEmpty()) {
      return done(Errno.EINVAL);
    }
    SortedMap<Long, List<LockRange>> byObject = new TreeMap<>();
    for (ObjectRange r : ranges) {
      if (r == null || r.range() == null || !r.range().valid()) {
        return done(Errno.EINVAL);
      }
      byObject.computeIfAbsent(r.object(), o -> new ArrayList<>()).add(r.range());
    }
    return next(owner, new ArrayList<>(byObject.entrySet()), 0, new ArrayList<>());
  }

  private CompletionStage<Reply<List<NodeLock>>> next(LockOwner owner,
      List<Map.Entry<Long, List<LockRange>>> todo, int i, List<NodeLock> held) {
    if (i == todo.size()) {
      return CompletableFuture.completedFuture(Reply.ok(List.copyOf(held)));
    }
    Map.Entry<Long, List<LockRange>> e = todo.get(i);
    return acquire(e.getKey(), owner, e.getValue()).thenCompose(r -> {
      if (!r.isOk()) {
        held.forEach(NodeLock::release);
        return done(r.errno());
      }
      held.add(r.value());
      return next(owner, todo, i + 1, held);
    });
  }

  void revoke(long obj, long id) {
    ObjectLocks o = objects.get(obj);
    if (o != null) {
      o.revoke(id);
    } else {
      server.release(obj, id); // nothing cached here: say it is given back
    }
  }

  void recover(long obj, long epoch, Runnable ack) {
    ObjectLocks o = objects.get(obj);
    if (o != null) {
      o.recover(epoch, ack);
    } else {
      ack.run();
    }
  }

  void sweep(long nowNanos, long idleNanos) {
    objects.forEach((id, o) -> {
      if (o.sweep(nowNanos, idleNanos)) {
        objects.remove(id, o);
      }
    });
  }

  void publish(long obj, long epoch, boolean recovering, List<ExtentServer.Entry<FileObject.Caller>> entries) {
    List<Grant> grants = new ArrayList<>(entries.size());
    for (ExtentServer.Entry<FileObject.Caller> e : entries) {
      grants.add(new Grant(e.node, e.id, e.exclusive, e.start, e.end, e.held, e.revoked()));
    }
    if (grants.isEmpty() && !recovering) {
      servers.remove(obj);
    } else {
      servers.put(obj, new ServerView(epoch, recovering, List.copyOf(grants)));
    }
  }

  void unpublish(long obj, long epoch) {
    servers.computeIfPresent(obj, (id, v) -> v.epoch() == epoch ? null : v);
  }

  /** This node's locks and cached extents per file (files with neither left out). */
  public SortedMap<Long, LocalView> local() {
    SortedMap<Long, LocalView> out = new TreeMap<>();
    objects.forEach((id, o) -> {
      LocalView v = new LocalView(o.locks(), o.extents());
      if (!v.locks().isEmpty() || !v.extents().isEmpty()) {
        out.put(id, v);
      }
    });
    return Collections.unmodifiableSortedMap(out);
  }

  /** The grants of the files whose lock server runs on this node (none granted: left out). */
  public SortedMap<Long, ServerView> servers() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(servers));
  }

  private static <T> CompletionStage<Reply<T>> done(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }

  private static final class Id extends ExtensionId<NodeLocks> {
    @Override
    public NodeLocks createExtension(ActorSystem<?> system) {
      return new NodeLocks(system);
    }
  }
}

package ssi.cache.pagecache;

import akka.actor.Address;
import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;
import ssi.actors.lwkt.Ports;
import ssi.actors.lwkt.Reply;
import ssi.cache.CacheSettings;
import ssi.cache.coherence.CacheCore;
import ssi.cache.coherence.CoherenceMsg;
import ssi.cache.coherence.PageData;
import ssi.cache.directory.BackingStore;
import ssi.cluster.mesh.Mesh;

/**
 * The node page cache (an Akka extension): the node's {@link CacheCore} and its transport.
 *
 * <p>Design notes. A hit — a read in S/E/M, a write in E/M — runs the core in the caller's thread
 * and completes at once: no message, no actor hop (the port-agent fast path of the seed). The core
 * is guarded by its monitor, held only for the core's own in-memory work, never across I/O or
 * sends, so callers and the protocol's delivery thread never wait for anything but memory.
 * Requests to a directory go to the object's {@link BackingStore} — straight to its incarnation
 * once a message of it told the node where it is (watched: when it stops, pending requests go
 * again through Cluster Sharding, which starts the next), else through Cluster Sharding;
 * everything addressed to a node — grants, invalidations, forwards, data from a holder — arrives
 * through the mesh on the published port {@value #PORT}. The reply to a forward is held until
 * the data it caused has reached the requester, which is how the directory learns that a
 * forward completed or that its holder died first.
 */
public final class PageCache implements Extension {

  /** The mesh port every node publishes for protocol messages. */
  public static final String PORT = "cache.node";

  private static final Logger LOG = LoggerFactory.getLogger(PageCache.class);
  private static final Id ID = new Id();
  private static final Object OK = "ok";

  private final ActorSystem<?> system;
  private final CacheSettings settings;
  private final String self;
  private final CacheCore core;
  private final Mesh mesh;
  private final ClusterSharding sharding;
  private final CacheStats stats = new CacheStats();
  private final AtomicLong opIds = new AtomicLong();
  /** This node is leaving the cluster: every write is written through from now on. */
  private volatile boolean leaving;
  // guarded by core
  private final Map<Long, CompletableFuture<Reply<PageData>>> waiting = new HashMap<>();
  private final Map<Long, Long> dirGens = new HashMap<>();
  private final Map<String, Msg<Object, Object>> forwards = new HashMap<>();
  private final LinkedHashMap<PageKey, Boolean> resident = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<PageKey, Boolean> dirty = new LinkedHashMap<>();
  /** When each pending request was last sent: requests to a directory can be lost in transit. */
  private final Map<String, Long> requestSent = new HashMap<>();
  /**
   * The live directory incarnation of each object this node talks to, learned from its messages:
   * requests go straight to it (one hop, where Cluster Sharding adds its region's and shard's).
   * Bounded; an evicted or stopped one is forgotten, and sharding is used again.
   */
  private final LinkedHashMap<Long, DirRef> dirRefs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, DirRef> eldest) {
      if (size() > MAX_DIR_REFS) {
        watch.tell(new DirectoryWatch.Unwatch(eldest.getValue().ref()));
        return true;
      }
      return false;
    }
  };
  private final akka.actor.typed.ActorRef<DirectoryWatch.Command> watch;

  private static final int MAX_DIR_REFS = 4096;

  private record DirRef(long gen, akka.actor.typed.ActorRef<BackingStore.Command> ref) {
  }

  private record PageKey(long obj, long page) {
  }

  private PageCache(ActorSystem<?> system) {
    this.system = system;
    this.settings = CacheSettings.from(system.settings().config());
    this.self = Cluster.get(system).selfMember().address().toString();
    this.core = new CacheCore(self, settings.pageSize());
    this.mesh = Mesh.get(system);
    this.sharding = ClusterSharding.get(system);
    this.watch = system.systemActorOf(DirectoryWatch.create(this), "ssi-directory-watch",
        akka.actor.typed.Props.empty());
    BackingStore.init(system);
    Port<Object, Object> port = Port.<Object, Object>builder(PORT, PortKind.SERIALIZER)
        .sink(this::receive).build();
    mesh.publish(PORT, Ports.get(system).register(port));
    Duration wb = settings.writeBackInterval();
    system.scheduler().scheduleWithFixedDelay(wb, wb, this::writeBackAll, system.executionContext());
    Duration resend = settings.resendAfter();
    system.scheduler().scheduleWithFixedDelay(resend, resend, this::resendPending,
        system.executionContext());
    // A node that leaves (drain, ssi down) writes back what it holds modified first, and from
    // then on writes through: once it is removed its grants are revoked and a late write-back
    // would be fenced off as stale, while its sharded entities (a file's writer) may still be
    // writing here until their shards are handed over.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(),
        "ssi-page-cache-write-back", () -> {
          leaving = true;
          return syncAll().thenApply(e -> Done.getInstance());
        });
  }

  /** This node's page cache, started on first use (the node starts it at boot). */
  public static PageCache get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public CacheSettings settings() {
    return settings;
  }

  /** Reads one page; completes at once on a hit. */
  public CompletionStage<Reply<PageData>> readPage(long obj, long page) {
    PageData hit;
    synchronized (core) {
      // The common hit: readable and idle, so the core would answer at once with this data.
      hit = core.busy(obj, page) ? null : core.data(obj, page);
    }
    if (hit != null) {
      stats.hits.increment();
      return CompletableFuture.completedFuture(Reply.ok(hit));
    }
    return op(obj, page, id -> core.read(id, obj, page));
  }

  /** Writes {@code bytes} at {@code offset} within one page; completes at once in E/M. */
  public CompletionStage<Reply<PageData>> writePage(long obj, long page, int offset, byte[] bytes) {
    CompletionStage<Reply<PageData>> written = op(obj, page, id -> core.write(id, obj, page, offset, bytes));
    if (!settings.writeThrough() && !leaving) {
      return written;
    }
    return written.thenCompose(r -> !r.isOk() ? CompletableFuture.completedFuture(r)
        : flushPage(obj, page, true).thenApply(f -> f.isOk() ? r : Reply.<PageData>error(f.errno())));
  }

  /** Writes back page {@code page} if it is M; with {@code sync}, after the store committed. */
  public CompletionStage<Reply<PageData>> flushPage(long obj, long page, boolean sync) {
    stats.writeBacks.increment();
    return op(obj, page, id -> core.flush(id, obj, page, sync));
  }

  /** Reads {@code length} bytes at {@code offset} (zeros where nothing was written). */
  public CompletionStage<Reply<byte[]>> read(long obj, long offset, int length) {
    int ps = settings.pageSize();
    byte[] out = new byte[length];
    List<CompletableFuture<Errno>> parts = new ArrayList<>();
    for (long pos = offset; pos < offset + length; ) {
      long page = pos / ps;
      int inPage = (int) (pos % ps);
      int n = (int) Math.min(ps - inPage, offset + length - pos);
      int at = (int) (pos - offset);
      parts.add(readPage(obj, page).toCompletableFuture().thenApply(r -> {
        if (r.isOk()) {
          System.arraycopy(r.value().bytes(), inPage, out, at, n);
        }
        return r.errno();
      }));
      pos += n;
    }
    return all(parts).thenApply(e -> e == Errno.OK ? Reply.ok(out) : Reply.error(e));
  }

  /** Writes {@code data} at {@code offset}, page by page (each page atomically). */
  public CompletionStage<Reply<Void>> write(long obj, long offset, byte[] data) {
    int ps = settings.pageSize();
    List<CompletableFuture<Errno>> parts = new ArrayList<>();
    for (long pos = offset; pos < offset + data.length; ) {
      long page = pos / ps;
      int inPage = (int) (pos % ps);
      int n = (int) Math.min(ps - inPage, offset + data.length - pos);
      byte[] chunk = java.util.Arrays.copyOfRange(data, (int) (pos - offset), (int) (pos - offset) + n);
      parts.add(writePage(obj, page, inPage, chunk).toCompletableFuture().thenApply(Reply::errno));
      pos += n;
    }
    return all(parts).thenApply(e -> e == Errno.OK ? Reply.ok(null) : Reply.error(e));
  }

  /** Writes back every M page of {@code obj} and returns after the store committed them. */
  public CompletionStage<Reply<Void>> fsync(long obj) {
    List<PageKey> pages;
    synchronized (core) {
      pages = dirty.keySet().stream().filter(k -> k.obj() == obj).toList();
    }
    List<CompletableFuture<Errno>> parts = new ArrayList<>();
    for (PageKey k : pages) {
      parts.add(flushPage(k.obj(), k.page(), true).toCompletableFuture().thenApply(Reply::errno));
    }
    return all(parts).thenApply(e -> e == Errno.OK ? Reply.ok(null) : Reply.error(e));
  }

  /** Writes back every modified page this node holds and waits for the store's commit. */
  public CompletionStage<Errno> syncAll() {
    List<PageKey> pages;
    synchronized (core) {
      pages = List.copyOf(dirty.keySet());
    }
    List<CompletableFuture<Errno>> parts = new ArrayList<>();
    for (PageKey k : pages) {
      parts.add(flushPage(k.obj(), k.page(), true).toCompletableFuture().thenApply(Reply::errno));
    }
    return all(parts);
  }

  private static CompletableFuture<Errno> all(List<CompletableFuture<Errno>> parts) {
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v ->
        parts.stream().map(CompletableFuture::join).filter(e -> e != Errno.OK).findFirst()
            .orElse(Errno.OK));
  }

  /** Runs one local operation on the core; a hit completes before this returns. */
  private CompletionStage<Reply<PageData>> op(long obj, long page,
      java.util.function.LongFunction<CacheCore.Step> call) {
    long id = opIds.incrementAndGet();
    CompletableFuture<Reply<PageData>> f = new CompletableFuture<>();
    CacheCore.Step step;
    synchronized (core) {
      waiting.put(id, f);
      step = call.apply(id);
      touch(new PageKey(obj, page));
    }
    if (step.send().isEmpty()) {
      stats.hits.increment();
    } else {
      stats.misses.increment();
      f.completeOnTimeout(Reply.error(Errno.ETIMEDOUT), settings.requestTimeout().toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    dispatch(step);
    return f;
  }

  // ---- the protocol's side ----

  private void receive(Msg<Object, Object> msg) {
    if (!msg.begin()) {
      return;
    }
    Object body = msg.body();
    stats.received(body instanceof NodeDelivery d ? d.msg() : body);
    if (body instanceof NodeDelivery d) {
      onDelivery(msg, d);
    } else if (body instanceof HolderQuery q) {
      CacheCore.Step step;
      List<CacheCore.Holding> holdings;
      synchronized (core) {
        dirGens.put(q.obj(), q.dirGen());
        forgetDirectory(q.obj()); // a new incarnation: it sends its address with its messages
        holdings = core.holdings(q.obj());
        step = core.reissue(q.obj());
      }
      Lwkt.replymsg(msg, Reply.<Object>ok(new HolderReport(holdings)));
      if (!step.send().isEmpty()) {
        LOG.info("directory of object {} restarted (generation {}): {} request(s) sent again",
            q.obj(), q.dirGen(), step.send().size());
      }
      dispatch(step);
    } else if (body instanceof RequestFailed r) {
      CacheCore.Step step;
      synchronized (core) {
        step = core.fail(r.obj(), r.page(), r.txn());
      }
      Lwkt.replymsg(msg, Reply.ok(OK));
      dispatch(step);
    } else {
      Lwkt.replymsg(msg, Errno.EINVAL);
    }
  }

  private void onDelivery(Msg<Object, Object> msg, NodeDelivery d) {
    CoherenceMsg.ToNode m = d.msg();
    CacheCore.Step step;
    synchronized (core) {
      Long gen = dirGens.get(m.obj());
      if (gen == null) {
        dirGens.put(m.obj(), d.dirGen());
      } else if (d.dirGen() != gen) {
        step = null; // from a directory incarnation that no longer exists
        Lwkt.replymsg(msg, Reply.ok(OK));
        return;
      }
      if (d.directory() != null) {
        DirRef known = dirRefs.get(m.obj());
        if (known == null || !known.ref().equals(d.directory())) {
          dirRefs.put(m.obj(), new DirRef(d.dirGen(), d.directory()));
          watch.tell(new DirectoryWatch.Watch(m.obj(), d.directory()));
        }
      }
      if (m instanceof CoherenceMsg.Fwd f) {
        forwards.put(fwdKey(f.obj(), f.page(), f.txn(), f.requester()), msg);
      }
      step = core.handle(m);
      if (m instanceof CoherenceMsg.Grant || m instanceof CoherenceMsg.Data) {
        touch(new PageKey(m.obj(), m.page()));
      }
    }
    if (!(m instanceof CoherenceMsg.Fwd)) {
      Lwkt.replymsg(msg, Reply.ok(OK));
    }
    dispatch(step);
  }

  /** Sends the step's messages and completes its finished operations. */
  private void dispatch(CacheCore.Step step) {
    for (CoherenceMsg m : step.send()) {
      stats.sent(m);
      if (m instanceof CoherenceMsg.ToDirectory td) {
        long gen;
        DirRef direct;
        synchronized (core) {
          gen = dirGens.getOrDefault(td.obj(), 0L);
          if (m instanceof CoherenceMsg.Read || m instanceof CoherenceMsg.Write) {
            requestSent.put(requestKey(td), System.nanoTime());
          }
          direct = dirRefs.get(td.obj());
        }
        if (direct != null && direct.gen() == gen) {
          direct.ref().tell(new BackingStore.Deliver(gen, td));
        } else {
          sharding.entityRefFor(BackingStore.ENTITY_TYPE_KEY, Long.toString(td.obj()))
              .tell(new BackingStore.Deliver(gen, td));
        }
        if (td instanceof CoherenceMsg.Evict) {
          stats.evictions.increment();
        }
      } else if (m instanceof CoherenceMsg.Data data) {
        sendData(data);
      }
    }
    for (CacheCore.Completion c : step.completed()) {
      CompletableFuture<Reply<PageData>> f;
      synchronized (core) {
        f = waiting.remove(c.opId());
        if (c.ok() && c.data() != null && c.data().serial() > 0) {
          PageKey k = new PageKey(c.obj(), c.page());
          if (core.state(c.obj(), c.page()) == ssi.cache.coherence.Mesi.M) {
            dirty.put(k, Boolean.TRUE);
          } else {
            dirty.remove(k);
          }
        }
      }
      if (f != null) {
        if (!c.ok()) {
          stats.failures.increment();
        }
        f.complete(c.ok() ? Reply.ok(c.data()) : Reply.error(Errno.EIO));
      }
    }
    evictOverBound();
  }

  /** Data for a forward goes straight to the requester; the forward is answered once it arrived. */
  private void sendData(CoherenceMsg.Data data) {
    long gen;
    Msg<Object, Object> fwd;
    synchronized (core) {
      gen = dirGens.getOrDefault(data.obj(), 0L);
      fwd = forwards.remove(fwdKey(data.obj(), data.page(), data.txn(), data.to()));
    }
    Port<Object, Object> to = mesh.proxy(address(data.to()), PORT);
    Lwkt.domsg(to, Msg.of(new NodeDelivery(gen, data, null))).whenComplete((r, e) -> {
      if (fwd != null) {
        Lwkt.replymsg(fwd, r != null ? r : Reply.error(Errno.EIO));
      }
    });
  }

  private void touch(PageKey k) {
    resident.put(k, Boolean.TRUE);
  }

  /** Past {@code ssi.cache.max-bytes}, evicts the least recently used pages that are idle. */
  private void evictOverBound() {
    long maxPages = Math.max(1, settings.maxBytes() / settings.pageSize());
    List<CacheCore.Step> steps = new ArrayList<>();
    synchronized (core) {
      var it = resident.keySet().iterator();
      while (resident.size() > maxPages && it.hasNext()) {
        PageKey k = it.next();
        if (core.busy(k.obj(), k.page())) {
          continue;
        }
        it.remove();
        dirty.remove(k);
        steps.add(core.evict(k.obj(), k.page()));
      }
    }
    steps.forEach(this::dispatch);
  }

  /** Whether requests for {@code obj} go straight to a known directory incarnation now. */
  public boolean knowsDirectory(long obj) {
    synchronized (core) {
      return dirRefs.containsKey(obj);
    }
  }

  /** Forgets the directory incarnation of {@code obj} (under the core's monitor). */
  private void forgetDirectory(long obj) {
    DirRef gone = dirRefs.remove(obj);
    if (gone != null) {
      watch.tell(new DirectoryWatch.Unwatch(gone.ref()));
    }
  }

  /**
   * The directory incarnation {@code ref} of {@code obj} stopped: forget it and send the requests
   * pending for the object again through Cluster Sharding (which starts the next incarnation;
   * its holder query then re-issues everything else).
   */
  void directoryGone(long obj, akka.actor.typed.ActorRef<BackingStore.Command> ref) {
    List<CoherenceMsg> again = new ArrayList<>();
    synchronized (core) {
      DirRef known = dirRefs.get(obj);
      if (known == null || !known.ref().equals(ref)) {
        return;
      }
      dirRefs.remove(obj);
      for (CoherenceMsg m : core.pendingRequests()) {
        if (((CoherenceMsg.ToDirectory) m).obj() == obj) {
          again.add(m);
        }
      }
    }
    if (!again.isEmpty()) {
      LOG.debug("directory of object {} stopped: {} request(s) sent again", obj, again.size());
      dispatch(new CacheCore.Step(again, List.of()));
    }
  }

  /**
   * Re-sends requests pending for longer than {@code ssi.cache.resend-after}, with the same
   * transaction (the directory drops a copy it already has): a request routed to a node that has
   * just died is lost by Cluster Sharding, and nothing else would ever send it again.
   */
  private void resendPending() {
    long now = System.nanoTime();
    long after = settings.resendAfter().toNanos();
    List<CoherenceMsg> again = new ArrayList<>();
    synchronized (core) {
      java.util.Set<String> live = new java.util.HashSet<>();
      for (CoherenceMsg m : core.pendingRequests()) {
        String k = requestKey((CoherenceMsg.ToDirectory) m);
        live.add(k);
        Long sent = requestSent.get(k);
        if (sent == null || now - sent >= after) {
          again.add(m);
        }
      }
      requestSent.keySet().retainAll(live);
    }
    if (!again.isEmpty()) {
      synchronized (core) { // the direct path may be what lost them: re-send through sharding
        again.forEach(m -> forgetDirectory(((CoherenceMsg.ToDirectory) m).obj()));
      }
      LOG.debug("re-sending {} request(s) pending for over {}", again.size(), settings.resendAfter());
      dispatch(new CacheCore.Step(again, List.of()));
    }
  }

  private static String requestKey(CoherenceMsg.ToDirectory m) {
    long txn = m instanceof CoherenceMsg.Read r ? r.txn() : ((CoherenceMsg.Write) m).txn();
    return m.obj() + "/" + m.page() + "/" + txn;
  }

  private void writeBackAll() {
    List<PageKey> pages;
    synchronized (core) {
      pages = List.copyOf(dirty.keySet());
    }
    for (PageKey k : pages) {
      CacheCore.Step step;
      synchronized (core) {
        step = core.flush(-1, k.obj(), k.page(), false);
        dirty.remove(k);
      }
      if (!step.send().isEmpty()) {
        stats.writeBacks.increment();
      }
      dispatch(step);
    }
  }

  /** What this node holds of a page now (for views). */
  public ssi.cache.coherence.Mesi state(long obj, long page) {
    synchronized (core) {
      return core.state(obj, page);
    }
  }

  /** A line's internals, for diagnosing a stuck page. */
  public String debug(long obj, long page) {
    synchronized (core) {
      return core.debug(obj, page) + " waiting=" + waiting.size() + " forwards=" + forwards.keySet()
          + " gen=" + dirGens.get(obj);
    }
  }

  /** The counters now. */
  public CacheStats.Snapshot stats() {
    int pages;
    synchronized (core) {
      pages = resident.size();
    }
    return stats.snapshot(pages, settings.pageSize());
  }

  /** The raw counters (for benchmarks counting protocol messages). */
  public CacheStats counters() {
    return stats;
  }

  static Address address(String node) {
    return akka.actor.AddressFromURIString.parse(node);
  }

  private static String fwdKey(long obj, long page, long txn, String requester) {
    return obj + "/" + page + "/" + txn + "/" + requester;
  }

  private static final class Id extends ExtensionId<PageCache> {
    @Override
    public PageCache createExtension(ActorSystem<?> system) {
      return new PageCache(system);
    }
  }
}

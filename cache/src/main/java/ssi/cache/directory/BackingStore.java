package ssi.cache.directory;

import akka.actor.Address;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import ssi.actors.SsiMessage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.Reply;
import ssi.cache.CacheSettings;
import ssi.cache.coherence.CacheCore;
import ssi.cache.coherence.CoherenceMsg;
import ssi.cache.coherence.DirectoryCore;
import ssi.cache.coherence.Mesi;
import ssi.cache.coherence.PageData;
import ssi.cache.pagecache.HolderQuery;
import ssi.cache.pagecache.HolderReport;
import ssi.cache.pagecache.NodeDelivery;
import ssi.cache.pagecache.PageCache;
import ssi.cache.pagecache.RequestFailed;
import ssi.cache.store.ObjectKind;
import ssi.cache.store.Page;
import ssi.cache.store.PageStore;
import ssi.cache.store.PageStores;
import ssi.cluster.mesh.Mesh;

/**
 * The backing store of one VM object: a Cluster Sharding entity (one per object), the single
 * writer of the object's pages in the page store, with the object's coherence directory
 * ({@link DirectoryCore}) beside it.
 *
 * <p>Design notes. On every start the entity knows nothing about who holds what ("holder
 * unknown"), so it asks every live node ({@link HolderQuery}) and restores its records from the
 * answers before it serves anything; each incarnation has its own generation, and nodes ignore
 * messages of older ones. Pages are loaded from the page store before a message for them is
 * handled; a request whose page cannot be loaded (store down) is answered EIO, other messages wait
 * and retry. Accepted write-backs are persisted in the order accepted (group commit in the store),
 * and an fsync's acknowledgement leaves only after the commit. Forwards are sent with the mesh's
 * request/reply: the holder answers once its data reached the requester, so a forward whose
 * holder died is known and the requester is answered from the store. Removed nodes lose their
 * grants (epochs advance). Idle entities passivate after {@code ssi.cache.passivate-after}.
 */
public final class BackingStore extends AbstractBehavior<BackingStore.Command> {

  /** The sharded entity type: one entity per object id (decimal). */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ssi-backing-store");

  /** The entity's protocol. */
  public interface Command extends SsiMessage {
  }

  /** A protocol message from a node; {@code dirGen} 0 = the node knows no incarnation yet. */
  public record Deliver(long dirGen, CoherenceMsg.ToDirectory msg) implements Command {
  }

  /** Asks for the directory's records. */
  public record GetView(ActorRef<View> replyTo) implements Command {
  }

  /**
   * The directory's records for {@code GET /ssi/objects/{id}/coherence}.
   *
   * @param obj the object
   * @param host the node hosting the directory
   * @param dirGen this incarnation
   * @param state {@code rebuilding}, {@code ready} or {@code no-store}
   * @param protocol MESI or MEI
   * @param pages the page records
   * @param ranges the folded ranges (idle records folded past {@code max-records-per-object})
   * @param staleRejected write-backs rejected for a stale epoch
   */
  public record View(long obj, String host, long dirGen, String state, String protocol,
      List<DirectoryCore.PageView> pages, List<DirectoryCore.RangeView> ranges,
      long staleRejected) implements SsiMessage {
  }

  private record Rebuilt(Map<String, HolderReport> reports) implements Command,
      NoSerializationVerificationNeeded {
  }

  private record PageLoaded(long page, Reply<Page> result) implements Command,
      NoSerializationVerificationNeeded {
  }

  private record Persisted(long page, PageData data, Reply<Void> result) implements Command,
      NoSerializationVerificationNeeded {
  }

  private record ForwardOutcome(long page, long txn, String requester, Errno errno)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record GrantDelivered(long page, long txn, String node)
      implements Command, NoSerializationVerificationNeeded {
  }

  private record MemberRemoved(String node) implements Command, NoSerializationVerificationNeeded {
  }

  private record ObjectReady(Errno errno) implements Command, NoSerializationVerificationNeeded {
  }

  private enum RetryLoads implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** Registers the entity type on this node (idempotent); every node calls it at boot. */
  public static void init(ActorSystem<?> system) {
    CacheSettings settings = CacheSettings.from(system.settings().config());
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
            ctx -> create(Long.parseLong(ctx.getEntityId())))
        .withSettings(ClusterShardingSettings.create(system)
            .withPassivateIdleEntityAfter(settings.passivateAfter())));
  }

  static Behavior<Command> create(long obj) {
    return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(ctx ->
        Behaviors.withTimers(timers -> new BackingStore(ctx, timers, stash, obj))));
  }

  private static final Duration RETRY = Duration.ofSeconds(1);
  /** Messages held while the directory rebuilds; bounded by the nodes' pending requests. */
  private static final int STASH_CAPACITY = 100_000;

  private final long obj;
  private final long dirGen;
  private final String host;
  private final CacheSettings settings;
  private final PageStore store;
  private final ObjectImage image;
  private final DirectoryCore core;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final Map<Long, List<Deliver>> loading = new HashMap<>();
  private final Map<Long, List<CoherenceMsg.ToNode>> heldUntilPersisted = new HashMap<>();
  private final Map<Long, Integer> persisting = new HashMap<>();
  /** The highest request transaction seen per node and page: a node re-sends after a rebuild. */
  private final Map<String, Long> lastRequest = new HashMap<>();
  private boolean ready;

  private BackingStore(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      StashBuffer<Command> stash, long obj) {
    super(ctx);
    this.obj = obj;
    this.timers = timers;
    this.stash = stash;
    this.settings = CacheSettings.from(ctx.getSystem().settings().config());
    this.store = PageStores.get(ctx.getSystem()).store().orElse(null);
    this.image = new ObjectImage();
    this.core = new DirectoryCore(obj, settings.mei(), image, settings.maxRecordsPerObject());
    this.host = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.dirGen = System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000);
    // Epochs of this incarnation start above any an earlier one could have reached (it would
    // need more than a thousand ownership changes of one page per millisecond of its life).
    core.setEpochFloor(dirGen);
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
            e -> new MemberRemoved(e.member().address().toString())),
        ClusterEvent.MemberRemoved.class));
    if (store == null) {
      rebuild();
    } else {
      // The object's row must exist before its pages are read (EEXIST: it does already).
      ctx.pipeToSelf(store.createObject(obj, ObjectKind.FILE),
          (r, e) -> new ObjectReady(r != null ? r.errno() : Errno.EIO));
    }
  }

  private Behavior<Command> onObjectReady(ObjectReady r) {
    if (r.errno() != Errno.OK && r.errno() != Errno.EEXIST) {
      getContext().getLog().warn("object {}: the page store could not create it ({}); retrying",
          obj, r.errno());
      getContext().pipeToSelf(CompletableFuture.runAsync(() -> { },
              CompletableFuture.delayedExecutor(RETRY.toMillis(),
                  java.util.concurrent.TimeUnit.MILLISECONDS))
              .thenCompose(v -> store.createObject(obj, ObjectKind.FILE)),
          (r2, e) -> new ObjectReady(r2 != null ? r2.errno() : Errno.EIO));
      return this;
    }
    rebuild();
    return this;
  }

  /** "Holder unknown": ask every live node what it holds of this object. */
  private void rebuild() {
    Mesh mesh = Mesh.get(getContext().getSystem());
    Map<String, CompletableFuture<Reply<Object>>> asks = new HashMap<>();
    for (Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()
          || m.status() == MemberStatus.joining() || m.status() == MemberStatus.leaving()) {
        Port<Object, Object> p = mesh.proxy(m.address(), PageCache.PORT);
        asks.put(m.address().toString(),
            Lwkt.domsg(p, Msg.of(new HolderQuery(obj, dirGen))).toCompletableFuture());
      }
    }
    getContext().pipeToSelf(CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)),
        (ok, err) -> {
          Map<String, HolderReport> reports = new HashMap<>();
          asks.forEach((node, f) -> {
            Reply<Object> r = f.getNow(null);
            if (r != null && r.isOk() && r.value() instanceof HolderReport h) {
              reports.put(node, h);
            }
          });
          return new Rebuilt(reports);
        });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ObjectReady.class, this::onObjectReady)
        .onMessage(Rebuilt.class, this::onRebuilt)
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(GetView.class, this::onGetView)
        .onMessage(PageLoaded.class, this::onPageLoaded)
        .onMessage(Persisted.class, this::onPersisted)
        .onMessage(ForwardOutcome.class, this::onForwardOutcome)
        .onMessage(GrantDelivered.class, g -> {
          core.grantDelivered(g.page(), g.txn(), g.node());
          return this;
        })
        .onMessage(MemberRemoved.class, this::onMemberRemoved)
        .onMessage(RetryLoads.class, r -> onRetryLoads())
        .build();
  }

  private Behavior<Command> onRebuilt(Rebuilt r) {
    Map<Long, String> owners = new HashMap<>();
    Map<Long, Set<String>> sharers = new HashMap<>();
    Map<Long, Long> epochs = new HashMap<>();
    r.reports().forEach((node, report) -> {
      for (CacheCore.Holding h : report.holdings()) {
        if (h.state().exclusive()) {
          owners.put(h.page(), node);
        } else if (h.state() == Mesi.S) {
          sharers.computeIfAbsent(h.page(), p -> new HashSet<>()).add(node);
        }
        epochs.merge(h.page(), h.epoch(), Math::max);
      }
    });
    epochs.forEach((page, epoch) -> core.restore(page, owners.get(page),
        sharers.getOrDefault(page, Set.of()), epoch));
    ready = true;
    getContext().getLog().info("directory of object {} (generation {}) rebuilt from {} nodes: "
        + "{} pages held, {} requests waiting", obj, dirGen, r.reports().size(), epochs.size(),
        stash.size());
    return stash.unstashAll(this);
  }

  private Behavior<Command> onDeliver(Deliver d) {
    if (!ready) {
      stash.stash(d);
      return this;
    }
    if (d.dirGen() != 0 && d.dirGen() != dirGen) {
      return this; // sent to an earlier incarnation; the node sends it again after our query
    }
    long page = d.msg().page();
    long txn = requestTxn(d.msg());
    if (txn >= 0) {
      String key = d.msg().node() + "#" + page;
      if (lastRequest.getOrDefault(key, -1L) >= txn) {
        return this; // a copy of a request this incarnation already has (re-sent after rebuild)
      }
      lastRequest.put(key, txn);
    }
    if (store == null) {
      refuse(d, Errno.EIO);
      return this;
    }
    if (!image.loaded(page)) {
      boolean first = !loading.containsKey(page);
      loading.computeIfAbsent(page, p -> new ArrayList<>()).add(d);
      if (first) {
        load(page);
      }
      return this;
    }
    if (loading.containsKey(page)) {
      loading.get(page).add(d); // keep the page's arrival order
      return this;
    }
    handle(d.msg());
    return this;
  }

  private void load(long page) {
    getContext().pipeToSelf(store.readPage(obj, page),
        (r, e) -> new PageLoaded(page, r != null ? r : Reply.error(Errno.EIO)));
  }

  private Behavior<Command> onPageLoaded(PageLoaded l) {
    List<Deliver> queued = loading.get(l.page());
    if (queued == null) {
      return this;
    }
    if (!l.result().isOk()) {
      // Requests are refused now; the rest (acks, write-backs) wait for the store to come back.
      queued.removeIf(d -> {
        if (d.msg() instanceof CoherenceMsg.Read || d.msg() instanceof CoherenceMsg.Write) {
          refuse(d, l.result().errno());
          return true;
        }
        return false;
      });
      if (queued.isEmpty()) {
        loading.remove(l.page());
      } else {
        timers.startSingleTimer(RetryLoads.INSTANCE, RETRY);
      }
      return this;
    }
    Page p = l.result().value();
    image.load(l.page(), new PageData(p.serial(), p.data()));
    loading.remove(l.page());
    for (Deliver d : queued) {
      handle(d.msg());
    }
    return this;
  }

  private Behavior<Command> onRetryLoads() {
    loading.keySet().forEach(this::load);
    return this;
  }

  private static long requestTxn(CoherenceMsg.ToDirectory m) {
    return m instanceof CoherenceMsg.Read r ? r.txn()
        : m instanceof CoherenceMsg.Write w ? w.txn() : -1;
  }

  private void refuse(Deliver d, Errno errno) {
    long txn = requestTxn(d.msg());
    if (txn < 0) {
      return;
    }
    Port<Object, Object> p = Mesh.get(getContext().getSystem())
        .proxy(address(d.msg().node()), PageCache.PORT);
    Lwkt.domsg(p, Msg.of(new RequestFailed(obj, d.msg().page(), txn, dirGen, errno)));
  }

  private void handle(CoherenceMsg.ToDirectory msg) {
    List<CoherenceMsg.ToNode> out = core.handle(msg);
    persist();
    send(out);
    if (image.size() > 2 * settings.maxImagePages()) {
      // Bounded image: clean pages without a record of their own (folded or never held) are
      // dropped; a message for one loads it again first. Pages being loaded or persisted stay.
      image.trim(settings.maxImagePages(), page -> !core.hasRecord(page)
          && !persisting.containsKey(page) && !loading.containsKey(page));
    }
  }

  /** Persists accepted write-backs; flush acknowledgements of a page wait for its commit. */
  private void persist() {
    for (Map.Entry<Long, PageData> w : image.takeUnwritten()) {
      long page = w.getKey();
      PageData data = w.getValue();
      persisting.merge(page, 1, Integer::sum);
      getContext().pipeToSelf(store.writePages(obj, List.of(new Page(page, data.serial(), data.bytes()))),
          (r, e) -> new Persisted(page, data, r != null ? r : Reply.error(Errno.EIO)));
    }
  }

  private Behavior<Command> onPersisted(Persisted p) {
    if (!p.result().isOk()) {
      // Not lost: the write is retried until the store takes it; its fsync waits meanwhile.
      getContext().pipeToSelf(
          CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                  RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
              .thenCompose(v -> store.writePages(obj,
                  List.of(new Page(p.page(), p.data().serial(), p.data().bytes())))),
          (r, e) -> new Persisted(p.page(), p.data(), r != null ? r : Reply.error(Errno.EIO)));
      return this;
    }
    int left = persisting.merge(p.page(), -1, Integer::sum);
    if (left <= 0) {
      persisting.remove(p.page());
      List<CoherenceMsg.ToNode> held = heldUntilPersisted.remove(p.page());
      if (held != null) {
        send(held);
      }
    }
    return this;
  }

  private void send(List<CoherenceMsg.ToNode> out) {
    Mesh mesh = Mesh.get(getContext().getSystem());
    for (CoherenceMsg.ToNode m : out) {
      if (m instanceof CoherenceMsg.FlushAck && persisting.containsKey(m.page())) {
        heldUntilPersisted.computeIfAbsent(m.page(), p -> new ArrayList<>()).add(m);
        continue;
      }
      Port<Object, Object> p = mesh.proxy(address(m.to()), PageCache.PORT);
      var reply = Lwkt.domsg(p, Msg.of(new NodeDelivery(dirGen, m, getContext().getSelf())));
      if (m instanceof CoherenceMsg.Fwd f) {
        getContext().pipeToSelf(reply, (r, e) -> new ForwardOutcome(f.page(), f.txn(),
            f.requester(), r != null ? r.errno() : Errno.EIO));
      } else if (m instanceof CoherenceMsg.Grant g && g.state().exclusive()) {
        // Until the owner has its grant, its record is not folded (a recall could overtake it).
        getContext().pipeToSelf(reply, (r, e) -> new GrantDelivered(g.page(),
            r != null && r.isOk() ? g.txn() : -1, g.to()));
      }
    }
  }

  private Behavior<Command> onForwardOutcome(ForwardOutcome o) {
    if (o.errno() == Errno.OK) {
      core.forwardDone(o.page(), o.txn(), o.requester());
    } else {
      getContext().getLog().info("object {} page {}: forward to the holder failed ({}); the "
          + "requester is served from the store", obj, o.page(), o.errno());
      send(core.forwardFailed(o.page(), o.txn(), o.requester()));
    }
    return this;
  }

  private Behavior<Command> onMemberRemoved(MemberRemoved m) {
    lastRequest.keySet().removeIf(k -> k.startsWith(m.node() + "#"));
    if (ready) {
      send(core.nodeRemoved(m.node()));
    }
    return this;
  }

  private Behavior<Command> onGetView(GetView g) {
    g.replyTo().tell(new View(obj, host, dirGen,
        store == null ? "no-store" : ready ? "ready" : "rebuilding",
        settings.mei() ? "MEI" : "MESI", core.view(), core.ranges(), core.staleRejected()));
    return this;
  }

  private static Address address(String node) {
    return akka.actor.AddressFromURIString.parse(node);
  }
}

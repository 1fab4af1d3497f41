package ssi.bench.cache;

import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ssi.actors.lwkt.Reply;
import ssi.bench.cache.CacheMessages.PageProbeAsk;
import ssi.bench.cache.CacheMessages.PageReply;
import ssi.bench.cache.CacheMessages.ProbeAsk;
import ssi.bench.cache.CacheMessages.ProbeReply;
import ssi.cache.coherence.CacheCore;
import ssi.cache.coherence.CoherenceMsg;
import ssi.cache.coherence.Mesi;
import ssi.cache.coherence.PageData;
import ssi.cache.directory.BackingStore;
import ssi.cache.pagecache.PageCache;

/**
 * The cache suite's timed measurements on {@link CacheNodes}, each against its baseline in the
 * same run, in alternating blocks (so load that comes and goes on the shared machine falls on both
 * sides alike), medians compared.
 */
final class CacheLatencies {

  static final int PAGE = 4096;
  /** Pages the hit loop cycles over (held in M on node A). */
  static final int HIT_PAGES = 64;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int LOAD_WINDOW = 32;

  /** How much each measurement does. */
  record Plan(int hitBlock, int hitWarmupRounds, int hitRounds, int cleanWarmup, int cleanBlocks,
      int cleanPerBlock, int dirtyWarmup, int dirtyBlocks, int dirtyPerBlock, int coldSamples,
      int detailSamples) {
    static final Plan FULL = new Plan(10_000, 150, 300, 1_000, 15, 300, 500, 15, 200, 300,
        1_000);
    static final Plan QUICK = new Plan(10_000, 60, 80, 300, 5, 150, 150, 5, 100, 0, 0);

    int cleanPages() {
      return cleanWarmup + cleanBlocks * cleanPerBlock;
    }
  }

  /** A ratio of medians and its two sides (ns). */
  record Ratio(double ratio, long measured, long baseline) {
  }

  private final CacheNodes nodes;
  private final Plan plan;
  private volatile long sink;
  private long askTxn;

  CacheLatencies(CacheNodes nodes, Plan plan) {
    this.nodes = nodes;
    this.plan = plan;
  }

  // ------------------------------------------------------------------ hit vs ConcurrentHashMap

  private record PageKey(long obj, long page) {
  }

  /**
   * A local 4 KiB read hit through {@code PageCache.readPage} on node A (64 pages held in M,
   * cycled; the bytes copied out) / {@code ConcurrentHashMap.get} of the same 64 pages + the same
   * copy: per-operation time, median over alternating blocks of {@code hitBlock} operations.
   * Prints the pure core's read ({@code CacheCore.read} under no lock) as a detail.
   */
  Ratio hitVsChm(long obj) throws Exception {
    PageCache pc = nodes.cache(CacheNodes.A);
    ConcurrentHashMap<PageKey, byte[]> chm = new ConcurrentHashMap<>();
    CacheCore core = new CacheCore("core", PAGE);
    for (int p = 0; p < HIT_PAGES; p++) {
      byte[] bytes = pageBytes(p);
      ok(pc.writePage(obj, p, 0, bytes));
      chm.put(new PageKey(obj, p), bytes.clone());
      grantM(core, obj, p, bytes);
    }
    for (int p = 0; p < HIT_PAGES; p++) {
      if (pc.state(obj, p) != Mesi.M) {
        throw new IllegalStateException("hit page " + p + " is " + pc.state(obj, p));
      }
    }
    long sentBefore = pc.counters().messagesSent();
    byte[] buf = new byte[PAGE];
    List<Long> hit = new ArrayList<>();
    List<Long> map = new ArrayList<>();
    List<Long> pure = new ArrayList<>();
    int n = plan.hitBlock();
    long notImmediate = 0;
    for (int r = 0; r < plan.hitWarmupRounds() + plan.hitRounds(); r++) {
      long h;
      long m;
      if ((r & 1) == 0) {
        h = hitBlock(pc, obj, n, buf);
        m = chmBlock(chm, obj, n, buf);
      } else {
        m = chmBlock(chm, obj, n, buf);
        h = hitBlock(pc, obj, n, buf);
      }
      long c = coreBlock(core, obj, n, buf);
      if (h < 0) {
        notImmediate++;
        continue;
      }
      if (r >= plan.hitWarmupRounds()) {
        hit.add(h);
        map.add(m);
        pure.add(c);
      }
    }
    long sent = pc.counters().messagesSent() - sentBefore;
    long hNs = medianPerOp(hit, n);
    long mNs = medianPerOp(map, n);
    double hitPerOp = medianPerOpExact(hit, n);
    double mapPerOp = medianPerOpExact(map, n);
    double corePerOp = medianPerOpExact(pure, n);
    System.out.println(String.format(Locale.ROOT,
        "hit: PageCache.readPage + 4 KiB copy %.1f ns/op, ConcurrentHashMap.get + copy %.1f ns/op "
            + "(median of %d blocks of %d); CacheCore.read alone + copy %.1f ns/op", hitPerOp,
        mapPerOp, hit.size(), n, corePerOp));
    System.out.println("hit: messages sent by node A during the hit loop: " + sent
        + "; blocks with a read not completed at once: " + notImmediate);
    if (sent != 0 || notImmediate != 0) {
      throw new IllegalStateException("the hit loop was not all hits");
    }
    return new Ratio(hitPerOp / mapPerOp, hNs, mNs);
  }

  private long hitBlock(PageCache pc, long obj, int n, byte[] buf) {
    long acc = 0;
    boolean immediate = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      CompletableFuture<Reply<PageData>> f = pc.readPage(obj, i & (HIT_PAGES - 1))
          .toCompletableFuture();
      Reply<PageData> r = f.getNow(null);
      if (r == null) {
        immediate = false;
        r = f.join();
      }
      System.arraycopy(r.value().bytes(), 0, buf, 0, PAGE);
      acc += buf[i & (PAGE - 1)];
    }
    long t = System.nanoTime() - t0;
    sink += acc;
    return immediate ? t : -1;
  }

  private long chmBlock(ConcurrentHashMap<PageKey, byte[]> chm, long obj, int n, byte[] buf) {
    long acc = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      byte[] b = chm.get(new PageKey(obj, i & (HIT_PAGES - 1)));
      System.arraycopy(b, 0, buf, 0, PAGE);
      acc += buf[i & (PAGE - 1)];
    }
    long t = System.nanoTime() - t0;
    sink += acc;
    return t;
  }

  private long coreBlock(CacheCore core, long obj, int n, byte[] buf) {
    long acc = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      CacheCore.Step s = core.read(i, obj, i & (HIT_PAGES - 1));
      System.arraycopy(s.completed().get(0).data().bytes(), 0, buf, 0, PAGE);
      acc += buf[i & (PAGE - 1)];
    }
    long t = System.nanoTime() - t0;
    sink += acc;
    return t;
  }

  /** Puts {@code page} in M in a standalone core: its write miss answered by an M grant. */
  private static void grantM(CacheCore core, long obj, long page, byte[] bytes) {
    CacheCore.Step s = core.write(-1, obj, page, bytes);
    CoherenceMsg.Write w = (CoherenceMsg.Write) s.send().get(0);
    core.handle(new CoherenceMsg.Grant(obj, page, core.node(), w.txn(), Mesi.M, 1, null));
    if (core.state(obj, page) != Mesi.M) {
      throw new IllegalStateException("core page " + page + " is " + core.state(obj, page));
    }
  }

  // ------------------------------------------------------------------ misses vs raw Artery ask

  /**
   * Loads the clean pages: node C writes pages {@code [0, count)} of {@code obj} (each a write
   * miss; C's one-page cache evicts the previous one, writing it back), then waits until the
   * directory on B holds every page in its image with no holder left: a read of any of them by A
   * is then a clean miss answered from the backing store's image (Read + Grant with 4 KiB).
   */
  void loadCleanPages(long obj, int count) throws Exception {
    PageCache c = nodes.cache(CacheNodes.C);
    List<CompletableFuture<Reply<PageData>>> window = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      window.add(c.writePage(obj, p, 0, pageBytes(p)).toCompletableFuture());
      if (window.size() >= LOAD_WINDOW) {
        for (CompletableFuture<Reply<PageData>> f : window) {
          ok(f);
        }
        window.clear();
      }
    }
    for (CompletableFuture<Reply<PageData>> f : window) {
      ok(f);
    }
    // C still holds its last page: touching one more page (of another object) evicts it.
    ok(c.writePage(obj + 1_000_000, 0, 0, pageBytes(0)));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      BackingStore.View v = nodes.view(CacheNodes.B, obj);
      long clean = v.pages().stream().filter(r -> r.page() < count && r.owner() == null
          && r.sharers().isEmpty() && !r.busy() && r.serial() >= 1).count();
      if (clean == count) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + clean + " of " + count
            + " clean pages are held by nobody");
      }
      Thread.sleep(20);
    }
  }

  /**
   * A remote clean read miss on node A (page {@code i} of the loaded clean object, each read once;
   * directory on B) / a raw Artery ask A to B: median latency over alternating blocks.
   */
  Ratio cleanMissVsRtt(long obj) throws Exception {
    PageCache a = nodes.cache(CacheNodes.A);
    Map<String, Long> before = a.stats().received();
    int[] next = {0};
    MissSource miss = () -> {
      int page = next[0]++;
      long t0 = System.nanoTime();
      Reply<PageData> r = a.readPage(obj, page).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      check(r, page);
      return t;
    };
    Ratio ratio = alternate("clean miss", miss, plan.cleanWarmup(), plan.cleanBlocks(),
        plan.cleanPerBlock());
    Map<String, Long> after = a.stats().received();
    long grants = delta(after, before, "Grant");
    long data = delta(after, before, "Data");
    System.out.println("clean miss: node A received " + grants + " Grant and " + data
        + " Data for " + next[0] + " misses (each one Read out, one Grant in)");
    if (grants != next[0] || data != 0) {
      throw new IllegalStateException("the clean misses were not all clean");
    }
    return ratio;
  }

  /**
   * The same clean miss with the directory's image cold: pages never touched, so the backing
   * store reads each page from PostgreSQL before it grants (a detail, not a goal).
   */
  void coldMissDetail(long obj, int count) throws Exception {
    if (count == 0) {
      return;
    }
    PageCache a = nodes.cache(CacheNodes.A);
    long[] t = new long[count];
    for (int page = 0; page < count; page++) {
      long t0 = System.nanoTime();
      Reply<PageData> r = a.readPage(obj, page).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      t[page] = System.nanoTime() - t0;
      if (!r.isOk()) {
        throw new IllegalStateException("cold read of page " + page + ": " + r);
      }
    }
    System.out.println("detail, clean miss with a PostgreSQL page read (cold directory image): "
        + new Samples(t).micros());
  }

  /**
   * A dirty-remote read miss on node A: before each sample C writes the page (untimed; C takes it
   * in M, invalidating A's S copy), then A reads it — Read to the directory on B, Fwd to C, Data
   * from C to A (C's Flush to B off A's path) / a raw Artery ask A to B, alternating blocks.
   */
  Ratio dirtyMissVsRtt(long obj) throws Exception {
    PageCache a = nodes.cache(CacheNodes.A);
    PageCache c = nodes.cache(CacheNodes.C);
    Map<String, Long> before = a.stats().received();
    long[] samples = {0};
    int[] version = {0};
    MissSource miss = () -> {
      byte[] bytes = pageBytes(++version[0]);
      ok(c.writePage(obj, 0, 0, bytes));
      if (c.state(obj, 0) != Mesi.M) {
        throw new IllegalStateException("C holds the dirty page in " + c.state(obj, 0));
      }
      long t0 = System.nanoTime();
      Reply<PageData> r = a.readPage(obj, 0).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      if (!r.isOk() || r.value().bytes()[0] != bytes[0] || r.value().bytes()[PAGE - 1]
          != bytes[PAGE - 1]) {
        throw new IllegalStateException("dirty miss read " + r);
      }
      samples[0]++;
      return t;
    };
    Ratio ratio = alternate("dirty miss", miss, plan.dirtyWarmup(), plan.dirtyBlocks(),
        plan.dirtyPerBlock());
    if (plan.detailSamples() > 0) {
      // The same with the machine quiet before each read: the previous sample's tail (the
      // holder's write-back persisted on B, acks) and C's setup write no longer overlap it.
      long[] t = new long[plan.detailSamples() / 2];
      for (int i = 0; i < t.length; i++) {
        byte[] bytes = pageBytes(++version[0]);
        ok(c.writePage(obj, 0, 0, bytes));
        Thread.sleep(2);
        long t0 = System.nanoTime();
        ok(a.readPage(obj, 0));
        t[i] = System.nanoTime() - t0;
        samples[0]++;
      }
      System.out.println("detail, dirty miss after a 2 ms pause: " + new Samples(t).micros());
    }
    Map<String, Long> after = a.stats().received();
    long data = delta(after, before, "Data");
    long grants = delta(after, before, "Grant");
    System.out.println("dirty miss: node A received " + data + " Data (from C) and " + grants
        + " Grant for " + samples[0] + " misses");
    if (data != samples[0] || grants != 0) {
      throw new IllegalStateException("the dirty misses were not all served by the holder");
    }
    return ratio;
  }

  @FunctionalInterface
  private interface MissSource {
    long once() throws Exception;
  }

  private Ratio alternate(String what, MissSource miss, int warmup, int blocks, int perBlock)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      miss.once();
      askOnce();
    }
    List<long[]> misses = new ArrayList<>();
    List<long[]> asks = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      long[] m = new long[perBlock];
      long[] k = new long[perBlock];
      for (int i = 0; i < perBlock; i++) {
        m[i] = miss.once();
      }
      for (int i = 0; i < perBlock; i++) {
        k[i] = askOnce();
      }
      misses.add(m);
      asks.add(k);
    }
    Samples ms = Samples.of(misses);
    Samples as = Samples.of(asks);
    System.out.println(what + ":            " + ms.micros());
    System.out.println("raw Artery ask A->B:   " + as.micros());
    double ratio = (double) ms.median() / as.median();
    System.out.println(String.format(Locale.ROOT,
        "%s / ask: median %.3f (the goal), mean %.3f, p99 %.3f", what, ratio,
        ms.mean() / as.mean(), (double) ms.percentile(99) / as.percentile(99)));
    return new Ratio(ratio, ms.median(), as.median());
  }

  /**
   * Details for the misses' baselines: the raw ask answered with a 4 KiB page (what a grant with
   * data carries), alternating with the plain ask.
   */
  void askDetails() throws Exception {
    int n = plan.detailSamples();
    if (n == 0) {
      return;
    }
    long[] plain = new long[n];
    long[] page = new long[n];
    for (int i = 0; i < n; i++) {
      plain[i] = askOnce();
      long txn = ++askTxn;
      long t0 = System.nanoTime();
      PageReply r = AskPattern.<PageProbeAsk, PageReply>ask(nodes.pageResponderOnB(),
              replyTo -> new PageProbeAsk(7, txn & 63, txn, txn, replyTo), TIMEOUT,
              nodes.system(CacheNodes.A).scheduler())
          .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      page[i] = System.nanoTime() - t0;
      if (r.txn() != txn || r.data().length != PAGE) {
        throw new IllegalStateException("the page ask of " + txn + " answered " + r);
      }
    }
    System.out.println("detail, raw Artery ask A->B:                 " + new Samples(plain).micros());
    System.out.println("detail, raw Artery ask A->B, 4 KiB answered: " + new Samples(page).micros());
  }

  private long askOnce() throws Exception {
    long txn = ++askTxn;
    long t0 = System.nanoTime();
    ProbeReply r = AskPattern.<ProbeAsk, ProbeReply>ask(nodes.responderOnB(),
            replyTo -> new ProbeAsk(7, txn & 63, txn, txn, replyTo), TIMEOUT,
            nodes.system(CacheNodes.A).scheduler())
        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long t = System.nanoTime() - t0;
    if (r.txn() != txn) {
      throw new IllegalStateException("the ask of " + txn + " answered " + r);
    }
    return t;
  }

  // ------------------------------------------------------------------ helpers

  static byte[] pageBytes(int seed) {
    byte[] b = new byte[PAGE];
    for (int i = 0; i < PAGE; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return b;
  }

  private static void check(Reply<PageData> r, int page) {
    byte[] want = pageBytes(page);
    if (!r.isOk() || r.value().bytes()[0] != want[0] || r.value().bytes()[PAGE - 1]
        != want[PAGE - 1]) {
      throw new IllegalStateException("clean miss of page " + page + " read " + r);
    }
  }

  private static <T> T ok(java.util.concurrent.CompletionStage<Reply<T>> stage) throws Exception {
    Reply<T> r = stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!r.isOk()) {
      throw new IllegalStateException("page cache operation failed: " + r);
    }
    return r.value();
  }

  private static long delta(Map<String, Long> after, Map<String, Long> before, String type) {
    return after.getOrDefault(type, 0L) - before.getOrDefault(type, 0L);
  }

  private static long medianPerOp(List<Long> blocks, int n) {
    return Math.round(medianPerOpExact(blocks, n));
  }

  private static double medianPerOpExact(List<Long> blocks, int n) {
    long[] a = blocks.stream().mapToLong(Long::longValue).sorted().toArray();
    return (double) a[a.length / 2] / n;
  }
}

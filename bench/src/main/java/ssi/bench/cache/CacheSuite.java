package ssi.bench.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ssi.bench.Goal;
import ssi.bench.QuietLogs;
import ssi.bench.Suite;
import ssi.bench.cache.ProtocolPump.Cost;

/**
 * The {@code cache} suite of DESIGN §13.
 *
 * <ul>
 *   <li>Message counts, exact, from the real protocol cores driven by a deterministic pump
 *       ({@link ProtocolCounts}): {@code msgs-clean-miss} (messages of a read miss nobody holds),
 *       {@code msgs-dirty-miss} (hops on the requester's path of a read miss on a page another
 *       node holds in M; the holder's Flush to the directory is a 4th message off that path,
 *       printed as a detail), {@code msgs-write-2-sharers} (messages of a write to a page two
 *       other nodes share), {@code msgs-e-to-m} (a write in E), and {@code mesi-vs-mei-msgs}
 *       (messages of the read-shared workload with a MESI directory / with an MEI one).
 *   <li>Memory, on the real {@code DirectoryCore} ({@link DirectoryMemory}): {@code
 *       directory-bytes-per-record} (retained heap per page record, measured) and {@code
 *       records-after-1m-random-pages} (records kept after 1M random single-page grants, against
 *       {@code ssi.cache.max-records-per-object}).
 *   <li>Latency, on three cluster nodes with the real page caches and backing stores on an
 *       embedded PostgreSQL ({@link CacheNodes}, {@link CacheLatencies}): {@code hit-vs-chm},
 *       {@code clean-miss-vs-rtt}, {@code dirty-miss-vs-rtt}.
 * </ul>
 *
 * <p>Run: {@code bench/run cache} (about 2 minutes) or {@code bench/run cache --quick}.
 */
public final class CacheSuite implements Suite {

  static final double HIT_TARGET = 2;
  static final double CLEAN_TARGET = 1.5;
  static final double DIRTY_TARGET = 2.5;
  static final double MESI_MEI_TARGET = 0.2;
  static final double BYTES_PER_RECORD_TARGET = 256;
  /** Records per object directory, from {@code ssi.cache.max-records-per-object}. */
  static final String MAX_RECORDS_KEY = "ssi.cache.max-records-per-object";

  /** Records created for the bytes-per-record measurement, and how many times it is repeated. */
  static final int RECORDS = 100_000;
  static final int RECORD_REPEATS = 3;
  /** 1M random single-page grants over a 64 GiB object (2^24 pages of 4 KiB). */
  static final int RANDOM_GRANTS = 1_000_000;
  static final long RANDOM_PAGE_SPACE = 1L << 24;
  static final long SEED = 20240611;

  /** Object ids the suite starts from (each measured object is the first one hosted on B). */
  private static final long HIT_OBJ = 9_100_000;
  private static final long CLEAN_OBJ = 9_200_000;
  private static final long DIRTY_OBJ = 9_300_000;
  private static final long COLD_OBJ = 9_400_000;

  @Override
  public String name() {
    return "cache";
  }

  @Override
  public List<Goal> run(boolean quick) throws Exception {
    List<Goal> goals = new ArrayList<>();
    long t0 = System.nanoTime();
    messageCounts(goals);
    long t1 = System.nanoTime();
    memory(goals, quick);
    long t2 = System.nanoTime();
    latencies(goals, quick ? CacheLatencies.Plan.QUICK : CacheLatencies.Plan.FULL);
    long t3 = System.nanoTime();
    System.out.println(String.format(Locale.ROOT,
        "phases: message counts %.1f s, directory memory %.1f s, latencies %.1f s",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
    goals.sort(java.util.Comparator.comparingInt(g -> ORDER.indexOf(g.name())));
    return goals;
  }

  /** The goals in DESIGN §13's order. */
  private static final List<String> ORDER = List.of("hit-vs-chm", "clean-miss-vs-rtt",
      "dirty-miss-vs-rtt", "msgs-clean-miss", "msgs-dirty-miss", "msgs-write-2-sharers",
      "msgs-e-to-m", "mesi-vs-mei-msgs", "directory-bytes-per-record",
      "records-after-1m-random-pages");

  private static void messageCounts(List<Goal> goals) {
    Cost clean = ProtocolCounts.cleanMiss();
    Cost dirty = ProtocolCounts.dirtyMiss();
    Cost write2 = ProtocolCounts.writeTwoSharers();
    Cost eToM = ProtocolCounts.exclusiveToModified();
    print("clean read miss", clean);
    print("dirty-remote read miss", dirty);
    System.out.println("  msgs-dirty-miss counts the " + dirty.pathHops()
        + " hops on the requester's path; all messages including the holder's Flush: "
        + dirty.messages());
    print("write to a page 2 others share", write2);
    print("write in E", eToM);
    ProtocolPump mesi = ProtocolCounts.readShared(false);
    ProtocolPump mei = ProtocolCounts.readShared(true);
    System.out.println("read-shared workload (3 nodes x 64 pages x 100 reads each, a write per "
        + "100 reads): MESI " + mesi.delivered() + " messages " + mesi.byType() + "; MEI "
        + mei.delivered() + " messages " + mei.byType());
    double ratio = (double) mesi.delivered() / mei.delivered();
    goals.add(new Goal("msgs-clean-miss", clean.messages(), "=", 2));
    goals.add(new Goal("msgs-dirty-miss", dirty.pathHops(), "=", 3));
    goals.add(new Goal("msgs-write-2-sharers", write2.messages(), "=", 6));
    goals.add(new Goal("msgs-e-to-m", eToM.messages(), "=", 0));
    goals.add(new Goal("mesi-vs-mei-msgs", ratio, "<=", MESI_MEI_TARGET));
  }

  private static void print(String what, Cost c) {
    System.out.println(what + ": " + c.messages() + " messages " + c.byType() + ", "
        + c.pathHops() + " hops on the requester's path");
  }

  private static void memory(List<Goal> goals, boolean quick) {
    int repeats = quick ? 1 : RECORD_REPEATS;
    double perRecord = DirectoryMemory.bytesPerRecord(RECORDS, 0, repeats);
    double perShared = DirectoryMemory.bytesPerRecord(RECORDS, 2, repeats);
    System.out.println(String.format(Locale.ROOT,
        "directory record, measured (used heap after full GC, %d records, median of %d): "
            + "%.1f bytes per record with an E owner; %.1f with 2 S sharers", RECORDS,
        repeats, perRecord, perShared));
    long t = System.nanoTime();
    int bound = com.typesafe.config.ConfigFactory.load().getInt(MAX_RECORDS_KEY);
    DirectoryMemory.RandomGrants g = DirectoryMemory.randomGrants(RANDOM_GRANTS,
        RANDOM_PAGE_SPACE, SEED, bound);
    System.out.println(String.format(Locale.ROOT,
        "%d random single-page grants over %d pages: %d distinct pages, %d forwarded; the "
            + "directory keeps %d records (%s = %d); %.1f MiB of heap, %.1f bytes per record",
        g.grants(), RANDOM_PAGE_SPACE, g.distinctPages(), g.forwards(), g.records(),
        MAX_RECORDS_KEY, bound, g.bytesPerRecord() * g.records() / (1 << 20),
        g.bytesPerRecord()));
    System.out.println(String.format(Locale.ROOT, "  (random grants took %.1f s)",
        (System.nanoTime() - t) / 1e9));
    goals.add(new Goal("directory-bytes-per-record", perRecord, "<=", BYTES_PER_RECORD_TARGET));
    goals.add(new Goal("records-after-1m-random-pages", g.records(), "<=", bound));
  }

  private static void latencies(List<Goal> goals, CacheLatencies.Plan plan) throws Exception {
    long start = System.nanoTime();
    // INFO lines of the store, the pool and the mesh at start and stop would bury the figures;
    // the nodes' shutdown warnings (connections aborted as the others stop) are expected.
    try (QuietLogs quiet = QuietLogs.at("ERROR"); CacheNodes nodes = CacheNodes.start()) {
      System.out.println(String.format(Locale.ROOT,
          "PostgreSQL and three nodes up in %.1f s: A %s, B %s, C %s",
          (System.nanoTime() - start) / 1e9, nodes.address(CacheNodes.A),
          nodes.address(CacheNodes.B), nodes.address(CacheNodes.C)));
      CacheLatencies m = new CacheLatencies(nodes, plan);
      long hitObj = nodes.objectHostedOn(CacheNodes.B, HIT_OBJ);
      long cleanObj = nodes.objectHostedOn(CacheNodes.B, CLEAN_OBJ);
      long dirtyObj = nodes.objectHostedOn(CacheNodes.B, DIRTY_OBJ);
      System.out.println("objects with their directory on B: hit " + hitObj + ", clean "
          + cleanObj + ", dirty " + dirtyObj);

      CacheLatencies.Ratio hit = m.hitVsChm(hitObj);

      long t = System.nanoTime();
      m.loadCleanPages(cleanObj, plan.cleanPages());
      System.out.println(String.format(Locale.ROOT,
          "clean pages: %d written by C, evicted to the store, in %.1f s", plan.cleanPages(),
          (System.nanoTime() - t) / 1e9));
      CacheLatencies.Ratio clean = m.cleanMissVsRtt(cleanObj);
      CacheLatencies.Ratio dirty = m.dirtyMissVsRtt(dirtyObj);
      m.askDetails();
      if (plan.coldSamples() > 0) {
        m.coldMissDetail(nodes.objectHostedOn(CacheNodes.B, COLD_OBJ), plan.coldSamples());
      }
      goals.add(new Goal("hit-vs-chm", hit.ratio(), "<=", HIT_TARGET));
      goals.add(new Goal("clean-miss-vs-rtt", clean.ratio(), "<=", CLEAN_TARGET));
      goals.add(new Goal("dirty-miss-vs-rtt", dirty.ratio(), "<=", DIRTY_TARGET));
    }
  }
}

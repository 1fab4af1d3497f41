package ssi.bench.cache;

import ssi.bench.cache.ProtocolPump.Cost;
import ssi.cache.coherence.Mesi;

/**
 * Exact protocol message counts of the common operations and of the read-shared workload, from
 * the real cores driven by a {@link ProtocolPump} (no network, no timing: the counts are exact and
 * the same on every run).
 */
final class ProtocolCounts {

  /** The read-shared workload: nodes, pages, reads of each page per node, reads per write. */
  static final int SHARED_NODES = 3;
  static final int SHARED_PAGES = 64;
  static final int SHARED_ROUNDS = 100;
  static final int READS_PER_WRITE = 100;

  private ProtocolCounts() {
  }

  /** n0 reads a page nobody holds: Read + Grant. */
  static Cost cleanMiss() {
    ProtocolPump p = new ProtocolPump(3, false);
    Cost c = p.read(0, 0);
    expect(p.state(0, 0) == Mesi.E, "a clean miss is granted E");
    return c;
  }

  /** n1 holds the page in M; n0 reads it: Read + Fwd + Data on n0's path, n1's Flush off it. */
  static Cost dirtyMiss() {
    ProtocolPump p = new ProtocolPump(3, false);
    p.write(1, 0, (byte) 1);
    expect(p.state(1, 0) == Mesi.M, "the holder has the page in M");
    Cost c = p.read(0, 0);
    expect(p.state(0, 0) == Mesi.S && p.state(1, 0) == Mesi.S, "both share after the miss");
    return c;
  }

  /** n1 and n2 share the page in S; n0 (no copy) writes it: Write + 2 Inval + 2 InvalAck + Grant. */
  static Cost writeTwoSharers() {
    ProtocolPump p = new ProtocolPump(3, false);
    p.read(1, 0);
    p.read(2, 0);
    expect(p.state(1, 0) == Mesi.S && p.state(2, 0) == Mesi.S, "two sharers");
    Cost c = p.write(0, 0, (byte) 2);
    expect(p.state(0, 0) == Mesi.M && p.state(1, 0) == Mesi.I && p.state(2, 0) == Mesi.I,
        "the writer alone holds the page, in M");
    return c;
  }

  /** n0 holds the page in E (after a clean read miss) and writes it: silent. */
  static Cost exclusiveToModified() {
    ProtocolPump p = new ProtocolPump(3, false);
    p.read(0, 0);
    expect(p.state(0, 0) == Mesi.E, "E after the read");
    Cost c = p.write(0, 0, (byte) 3);
    expect(p.state(0, 0) == Mesi.M, "M after the write");
    return c;
  }

  /**
   * The read-shared workload: for 100 rounds, every page of 64 in turn is read by node 0, 1 and 2
   * (so the three nodes scan the same 64 pages side by side); every 100th read of a node is followed
   * by that node writing the page it just read (one write per 100 reads, 64 writes per node).
   * Returns the pump after the run, for its counts.
   */
  static ProtocolPump readShared(boolean mei) {
    ProtocolPump p = new ProtocolPump(SHARED_NODES, mei);
    int[] reads = new int[SHARED_NODES];
    for (int round = 0; round < SHARED_ROUNDS; round++) {
      for (int page = 0; page < SHARED_PAGES; page++) {
        for (int n = 0; n < SHARED_NODES; n++) {
          p.read(n, page);
          if (++reads[n] % READS_PER_WRITE == 0) {
            p.write(n, page, (byte) reads[n]);
          }
        }
      }
    }
    return p;
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("protocol scenario broken: " + what);
    }
  }
}

package ssi.bench.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import ssi.cluster.mesh.LinkStats;

/**
 * Proxy round trips from node A to node B while a bulk transfer from A to B runs on another
 * thread, against the same round trips with nothing else running, in alternating phases of equal
 * size (idle, then loaded, per round).
 *
 * <p>The mesh sends through one link per (sending CPU, remote node); a thread that is not a CPU
 * thread, like both threads here, is mapped to CPU {@code thread id mod ssi.cpus}. The load's
 * thread is chosen to land on the probing thread's link ({@code sameLink}) or on another one, and
 * the link counters are checked afterwards to confirm where the bulk bytes went.
 */
final class RttUnderBulk {

  /** What one configuration measured. */
  record Result(Latencies idle, Latencies loaded, double loadBytesPerSecond, int probeCpu,
      int loadCpu) {

    double p99Ratio() {
      return (double) loaded.percentile(99) / idle.percentile(99);
    }
  }

  /** Bulk load runs this long before the loaded phase's probes start (its window fills in ms). */
  private static final Duration LOAD_SETTLE = Duration.ofMillis(200);

  private final MeshNodes nodes;
  private final int batchBytes;
  private final int window;

  RttUnderBulk(MeshNodes nodes, int batchBytes, int window) {
    this.nodes = nodes;
    this.batchBytes = batchBytes;
    this.window = window;
  }

  /** {@code rounds} rounds of {@code perPhase} idle then {@code perPhase} loaded round trips. */
  Result measure(int rounds, int perPhase, boolean sameLink) throws Exception {
    int cpus = nodes.cpus();
    int probeCpu = (int) (Thread.currentThread().getId() % cpus);
    int loadCpu = sameLink ? probeCpu : (probeCpu + 1) % cpus;
    RoundTrips rt = new RoundTrips(nodes);
    List<long[]> idle = new ArrayList<>();
    List<long[]> loaded = new ArrayList<>();
    long loadBytes = 0;
    long loadNanos = 0;
    Map<Integer, Long> before = bulkBytesByCpu();
    for (int r = 0; r < rounds; r++) {
      idle.add(rt.proxy(perPhase));
      BulkLoad load = new BulkLoad(new BulkTransfer(nodes.pageProxy(), batchBytes, window),
          loadCpu, cpus);
      try {
        Thread.sleep(LOAD_SETTLE.toMillis());
        loaded.add(rt.proxy(perPhase));
      } finally {
        BulkTransfer.Result res = load.stop();
        loadBytes += res.bytes();
        loadNanos += res.nanos();
      }
    }
    Map<Integer, Long> after = bulkBytesByCpu();
    long onLoadLink = after.getOrDefault(loadCpu, 0L) - before.getOrDefault(loadCpu, 0L);
    if (onLoadLink < loadBytes) {
      throw new IllegalStateException("the bulk load did not go through link cpu " + loadCpu
          + " (" + onLoadLink + " of " + loadBytes + " bytes); links: " + nodes.links());
    }
    return new Result(Latencies.of(idle), Latencies.of(loaded), loadBytes * 1e9 / loadNanos,
        probeCpu, loadCpu);
  }

  private Map<Integer, Long> bulkBytesByCpu() {
    Map<Integer, Long> m = new HashMap<>();
    for (LinkStats s : nodes.links()) {
      m.merge(s.cpu(), s.bulkBytes(), Long::sum);
    }
    return m;
  }

  /** A bulk transfer on its own thread, mapped to CPU {@code cpu}, until stopped. */
  private static final class BulkLoad {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private final Thread thread;

    BulkLoad(BulkTransfer transfer, int cpu, int cpus) {
      Runnable body = () -> {
        try {
          outcome.set(transfer.run(() -> !stop.get()));
        } catch (InterruptedException | RuntimeException e) {
          outcome.set(e);
        }
      };
      Thread t;
      do { // thread ids are handed out in sequence; the next fitting one is at most cpus away
        t = new Thread(body, "mesh-bench-bulk-load");
      } while (t.getId() % cpus != cpu);
      this.thread = t;
      thread.start();
    }

    BulkTransfer.Result stop() throws Exception {
      stop.set(true);
      thread.join();
      Object o = outcome.get();
      if (o instanceof Exception e) {
        throw e;
      }
      return (BulkTransfer.Result) o;
    }
  }
}

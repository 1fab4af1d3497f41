package ssi.cache.pagecache;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A node page cache's counters: hits, misses, evictions, and protocol messages per type. */
public final class CacheStats {

  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder writeBacks = new LongAdder();
  final LongAdder failures = new LongAdder();
  private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> received = new ConcurrentHashMap<>();

  void sent(Object msg) {
    sent.computeIfAbsent(msg.getClass().getSimpleName(), k -> new LongAdder()).increment();
  }

  void received(Object msg) {
    received.computeIfAbsent(msg.getClass().getSimpleName(), k -> new LongAdder()).increment();
  }

  /** Total protocol messages this node has sent. */
  public long messagesSent() {
    return sent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * A snapshot for {@code GET /ssi/cache}.
   *
   * @param hits local reads and writes served with no message
   * @param misses operations that needed the protocol
   * @param evictions pages dropped under the memory bound
   * @param writeBacks M pages written back (timer, fsync, write-through)
   * @param failures operations that failed (store unreachable, timeout)
   * @param pages pages cached now
   * @param bytes bytes cached now
   * @param sent protocol messages sent, per type
   * @param received protocol messages received, per type
   */
  public record Snapshot(long hits, long misses, long evictions, long writeBacks, long failures,
      int pages, long bytes, Map<String, Long> sent, Map<String, Long> received) {
  }

  Snapshot snapshot(int pages, int pageSize) {
    return new Snapshot(hits.sum(), misses.sum(), evictions.sum(), writeBacks.sum(),
        failures.sum(), pages, (long) pages * pageSize, sums(sent), sums(received));
  }

  private static Map<String, Long> sums(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}

package ssi.actors.cpu;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bounded FIFO of one (source CPU, target CPU) pair: single producer (the source's thread),
 * single consumer (the target's thread), so it needs no lock — a release store of the index
 * publishes the slot. Capacity is rounded up to a power of two.
 *
 * <p>The two indices sit on different cache lines, and each side keeps a private copy of the
 * other's index, re-reading the shared one only when the FIFO looks full (producer) or empty
 * (consumer): in steady flow the two CPUs do not fight over a cache line per op.
 */
final class IpiFifo {

  private static final int PAD = 16; // longs: 128 bytes, two cache lines
  private static final int HEAD = PAD;
  private static final int TAIL = 3 * PAD;

  private final Ipi[] slots;
  private final int mask;
  private final AtomicLongArray indices = new AtomicLongArray(4 * PAD);
  private long headSeenByProducer;
  private long tailSeenByConsumer;

  IpiFifo(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
    this.slots = new Ipi[size];
    this.mask = size - 1;
  }

  int capacity() {
    return slots.length;
  }

  /** Producer only. False when full. */
  boolean offer(Ipi op) {
    long t = indices.get(TAIL);
    if (t - headSeenByProducer >= slots.length) {
      headSeenByProducer = indices.get(HEAD);
      if (t - headSeenByProducer >= slots.length) {
        return false;
      }
    }
    slots[(int) (t & mask)] = op;
    indices.lazySet(TAIL, t + 1);
    return true;
  }

  /** Producer only: ops not yet taken, refreshing the consumer's index only past half full. */
  int sizeForProducer() {
    long t = indices.get(TAIL);
    if (t - headSeenByProducer > slots.length / 2) {
      headSeenByProducer = indices.get(HEAD);
    }
    return (int) (t - headSeenByProducer);
  }

  /** Consumer only. Null when empty. */
  Ipi poll() {
    long h = indices.get(HEAD);
    if (h >= tailSeenByConsumer) {
      tailSeenByConsumer = indices.get(TAIL);
      if (h >= tailSeenByConsumer) {
        return null;
      }
    }
    int i = (int) (h & mask);
    Ipi op = slots[i];
    slots[i] = null;
    indices.lazySet(HEAD, h + 1);
    return op;
  }

  /** Consumer only: whether ops are waiting. */
  boolean nonEmptyForConsumer() {
    return indices.get(HEAD) < indices.get(TAIL);
  }
}

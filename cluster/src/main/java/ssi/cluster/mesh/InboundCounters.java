package ssi.cluster.mesh;

import java.util.concurrent.atomic.AtomicLong;

/** An inbound link's counters: written by an endpoint actor, read by the HTTP route. */
final class InboundCounters {

  final String from;
  final int cpu;
  final String channel;
  final AtomicLong processed = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong deferred = new AtomicLong();
  final AtomicLong replyBytes = new AtomicLong();
  volatile int cachedReplies;

  InboundCounters(String from, int cpu, String channel) {
    this.from = from;
    this.cpu = cpu;
    this.channel = channel;
  }

  InboundStats snapshot() {
    return new InboundStats(from, cpu, channel, processed.get(), duplicates.get(), deferred.get(),
        cachedReplies, replyBytes.get());
  }
}

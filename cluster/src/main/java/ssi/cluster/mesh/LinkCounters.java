package ssi.cluster.mesh;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A link's counters: written only by its {@link MeshLink} actor, read by the HTTP route from any
 * thread (atomics and volatiles, so a reader sees recent values without asking the actor).
 */
final class LinkCounters {

  final String node;
  final int cpu;
  final int credits;
  volatile boolean down;
  volatile int creditsInUse;
  volatile int queued;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong replies = new AtomicLong();
  final AtomicLong retransmits = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();
  final AtomicLong hostDown = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong lateReplies = new AtomicLong();
  final AtomicLong controlBytes = new AtomicLong();
  final AtomicLong bulkBytes = new AtomicLong();

  LinkCounters(String node, int cpu, int credits) {
    this.node = node;
    this.cpu = cpu;
    this.credits = credits;
  }

  LinkStats snapshot() {
    return new LinkStats(node, cpu, down ? "down" : "up", creditsInUse, credits, queued,
        sent.get(), replies.get(), retransmits.get(), timeouts.get(), hostDown.get(),
        refused.get(), lateReplies.get(), controlBytes.get(), bulkBytes.get());
  }
}

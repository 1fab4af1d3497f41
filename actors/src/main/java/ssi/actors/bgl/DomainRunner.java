package ssi.actors.bgl;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Lwkt;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Reply;

/**
 * Runs one subsystem operation inside whatever domain took it — the BGL actor or a protocol
 * thread — and records its queue wait and hold time. Shared so both paths do exactly the same
 * work and the benchmark compares like with like.
 */
final class DomainRunner {

  private static final Logger LOG = LoggerFactory.getLogger(DomainRunner.class);

  private DomainRunner() {
  }

  static void run(Msg<DomainCall, Object> msg, Map<String, Subsystem> subsystems) {
    DomainCall call = msg.body();
    long start = System.nanoTime();
    Reply<Object> reply;
    try {
      reply = Reply.ok(call.op().get());
    } catch (RuntimeException e) {
      LOG.error("operation of subsystem {} failed (key {})", call.subsystem(), call.key(), e);
      reply = Reply.error(Errno.EIO);
    }
    long end = System.nanoTime();
    Subsystem s = subsystems.get(call.subsystem());
    if (s != null) {
      // Counted before the reply leaves, so a caller that has its reply also sees it counted.
      s.record(start - call.sentNanos(), end - start, reply.isOk());
    }
    Lwkt.replymsg(msg, reply);
  }
}

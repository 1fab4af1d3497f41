package ssi.cluster.mesh;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code ssi.mesh} settings (documented in the cluster module's {@code reference.conf}).
 *
 * @param retryAfter a message without a reply is sent again after this long
 * @param requestTimeout a message without a reply ends with ETIMEDOUT after this long
 * @param credits messages outstanding per (local CPU, remote node) link at most
 * @param queueSize messages waiting for a credit per link at most; beyond, EAGAIN
 * @param inboundPerLink requests the receiver processes at once per remote link at most (the
 *     buffer space reserved for each remote CPU)
 * @param bulkThreshold payloads of at least this many bytes travel on the bulk channel
 */
public record MeshSettings(Duration retryAfter, Duration requestTimeout, int credits,
    int queueSize, int inboundPerLink, int bulkThreshold, int maxProxies) {

  /** Reads {@code ssi.mesh} from a node's config. */
  public static MeshSettings from(Config config) {
    Config c = config.getConfig("ssi.mesh");
    MeshSettings s = new MeshSettings(c.getDuration("retry-after"),
        c.getDuration("request-timeout"), c.getInt("credits"), c.getInt("queue-size"),
        c.getInt("inbound-per-link"), (int) c.getBytes("bulk-threshold").longValue(),
        c.getInt("max-proxies"));
    if (s.credits < 1 || s.queueSize < 0 || s.inboundPerLink < s.credits
        || s.retryAfter.isNegative() || s.retryAfter.isZero()
        || s.requestTimeout.compareTo(s.retryAfter) < 0 || s.maxProxies < 1) {
      throw new IllegalArgumentException("ssi.mesh: need credits >= 1, queue-size >= 0, "
          + "inbound-per-link >= credits, 0 < retry-after <= request-timeout, max-proxies >= 1;"
          + " got " + s);
    }
    return s;
  }

  /** How often a link looks for messages to retransmit or time out. */
  public Duration tick() {
    Duration half = retryAfter.dividedBy(2);
    return half.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : half;
  }
}

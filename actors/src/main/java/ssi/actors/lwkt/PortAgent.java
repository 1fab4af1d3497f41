package ssi.actors.lwkt;

/**
 * The port's fast path: code the port supplies, run in the <em>caller's</em> thread by
 * {@code domsg}/{@code sendmsg}. It either answers the message inline (no enqueue, no actor hop)
 * or returns {@code null} to have it queued to the port's actor. Because many callers run it at
 * once, it may only read state that is safe for concurrent callers: immutable snapshots, atomics,
 * concurrent maps.
 *
 * <pre>{@code
 * PortAgent<String, Integer> agent = msg -> {
 *   Integer hit = cache.get(msg.body());          // a ConcurrentHashMap
 *   return hit != null ? Reply.ok(hit) : null;    // miss: queue to the actor
 * };
 * }</pre>
 *
 * @param <B> the message body type
 * @param <R> the reply value type
 */
@FunctionalInterface
public interface PortAgent<B, R> {

  /** The inline reply, or {@code null} to queue the message to the port's actor. */
  Reply<R> tryInline(Msg<B, R> msg);
}

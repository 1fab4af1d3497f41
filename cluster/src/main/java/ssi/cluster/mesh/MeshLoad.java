package ssi.cluster.mesh;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Msg;
import ssi.actors.lwkt.Port;
import ssi.actors.lwkt.PortKind;

/**
 * A diagnostic load run ({@code POST /ssi/mesh/load}): sends {@code count} {@link Echo} messages
 * to another node's {@code mesh.echo} port with {@code sendmsg}, all outstanding at once, and
 * counts every reply delivered to its reply port — per message, so a duplicate reply would show.
 * It exists to prove invariant 1 across node loss from outside the node (the multi-JVM tests) and
 * to measure the mesh.
 */
public final class MeshLoad {

  private static final AtomicLong IDS = new AtomicLong();

  /**
   * A run's progress.
   *
   * @param id the run's id
   * @param target the node the messages went to
   * @param count messages sent
   * @param replied messages that have had their reply
   * @param duplicates replies delivered to a message that already had one (must stay 0)
   * @param outcomes replies per errno ({@code OK}, {@code EHOSTDOWN}, ...)
   * @param elapsedMillis time since the run started
   * @param lastReplyMillis time from the start to the latest reply, -1 before any
   */
  public record Status(long id, String target, int count, long replied, long duplicates,
      Map<String, Long> outcomes, long elapsedMillis, long lastReplyMillis) {
  }

  private final long id = IDS.incrementAndGet();
  private final String target;
  private final int count;
  private final long started = System.nanoTime();
  private final ConcurrentMap<Long, AtomicInteger> repliesPerMsg = new ConcurrentHashMap<>();
  private final ConcurrentMap<Errno, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong replied = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private volatile long lastReply = -1;

  private MeshLoad(String target, int count) {
    this.target = target;
    this.count = count;
  }

  /** Starts a run against {@code node}'s echo port; the messages hold for {@code holdMillis}. */
  public static MeshLoad start(ActorSystem<?> system, Address node, int count, long holdMillis) {
    MeshLoad run = new MeshLoad(node.toString(), count);
    Port<Object, Object> replies = Port.<Object, Object>builder("mesh.load-" + run.id,
        PortKind.REPLY_ONLY).sink(run::onReply).build();
    Port<Object, Object> echo = Mesh.get(system).proxy(node, EchoPort.NAME);
    for (int i = 0; i < count; i++) {
      Msg<Object, Object> msg = Msg.of(new Echo("#" + i, holdMillis));
      run.repliesPerMsg.put(msg.id(), new AtomicInteger());
      echo.sendmsg(msg, replies);
    }
    return run;
  }

  private void onReply(Msg<Object, Object> msg) {
    AtomicInteger n = repliesPerMsg.get(msg.id());
    if (n == null || n.incrementAndGet() > 1) {
      duplicates.incrementAndGet();
      return;
    }
    outcomes.computeIfAbsent(msg.reply().errno(), e -> new AtomicLong()).incrementAndGet();
    lastReply = System.nanoTime();
    replied.incrementAndGet();
  }

  public long id() {
    return id;
  }

  /** The run's progress now. */
  public Status status() {
    Map<String, Long> byErrno = new TreeMap<>();
    outcomes.forEach((e, n) -> byErrno.put(e.name(), n.get()));
    long last = lastReply;
    return new Status(id, target, count, replied.get(), duplicates.get(), byErrno,
        (System.nanoTime() - started) / 1_000_000, last < 0 ? -1 : (last - started) / 1_000_000);
  }
}

package ssi.cache.rangelock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * One all-or-nothing reservation in progress: the objects' ranges are taken one object at a time
 * in ascending object id, each object's ranges in one request (so atomically on that object).
 *
 * <p>Why this cannot deadlock: a transaction waits on object {@code o} only while holding
 * objects below {@code o}. It waits either for a holder of a conflicting lock on {@code o} —
 * which, if it waits itself, waits on an object above {@code o} — or for an earlier waiter on
 * {@code o}. Along a cycle of waits the object id would never decrease and, where it stays equal,
 * the queue position would strictly decrease: impossible. (Ordering by offset inside an object
 * would not do: ranges of different lengths overlap out of order, hence one request per object.)
 */
final class Transaction {

  private final RangeLocks registry;
  private final LockOwner owner;
  private final List<Map.Entry<Long, List<LockRange>>> steps;
  private final long deadline;
  private final boolean timed;
  private final List<Lock> held = new ArrayList<>();
  private final CompletableFuture<Reply<Reservation>> result = new CompletableFuture<>();
  private int next;

  Transaction(RangeLocks registry, LockOwner owner, Map<Long, List<LockRange>> byObject,
      Duration timeout) {
    this.registry = registry;
    this.owner = owner;
    this.steps = new ArrayList<>(byObject.entrySet());
    this.timed = timeout != null;
    this.deadline = timed ? System.nanoTime() + timeout.toNanos() : 0;
  }

  CompletionStage<Reply<Reservation>> start() {
    run();
    return result;
  }

  /** Takes the next objects' locks while they are granted at once; otherwise waits for one. */
  private void run() {
    while (next < steps.size()) {
      Map.Entry<Long, List<LockRange>> step = steps.get(next++);
      Duration remaining = timed ? Duration.ofNanos(deadline - System.nanoTime()) : null;
      CompletableFuture<Reply<Lock>> f = registry.forObject(step.getKey())
          .acquire(owner, step.getValue(), remaining).toCompletableFuture();
      Reply<Lock> now = f.getNow(null);
      if (now == null) {
        f.thenAccept(r -> {
          if (accept(r)) {
            run();
          }
        });
        return;
      }
      if (!accept(now)) {
        return;
      }
    }
    result.complete(Reply.ok(new Reservation(held)));
  }

  /** Keeps a granted lock, or gives back all held ones and fails the transaction. */
  private boolean accept(Reply<Lock> reply) {
    if (reply.isOk()) {
      held.add(reply.value());
      return true;
    }
    for (Lock lock : held) {
      lock.release();
    }
    held.clear();
    Errno errno = reply.errno();
    result.complete(Reply.error(errno));
    return false;
  }
}

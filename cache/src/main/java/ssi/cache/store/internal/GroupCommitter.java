package ssi.cache.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * Group commit. Mutations queue here in call order; a single committer task, started on the
 * store executor when the queue becomes non-empty and running until it is empty again, takes up
 * to {@code max-batch} of them (waiting up to {@code max-delay} for more once it has one), runs
 * them in order in one transaction and commits. Only then does it complete their futures — so a
 * caller that sees OK knows its mutation is committed. Mutations that arrive while a commit is
 * in flight form the next batch: the busier the store, the larger the batches.
 *
 * <p>Failures. Database unreachable (or gone mid-transaction): the whole batch gets EIO and
 * {@link StoreHealth} records the outage. A statement refused by the server (a bug, or a
 * constraint another node tripped): the batch is rolled back and its mutations are retried one
 * per transaction, so only the mutation at fault gets EIO and the others still commit, in order.
 */
public final class GroupCommitter {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  private record Pending<R>(SqlWork<R> mutation, CompletableFuture<Reply<R>> result) {
    void complete(Reply<?> reply) {
      @SuppressWarnings("unchecked")
      Reply<R> typed = (Reply<R>) reply;
      result.complete(typed);
    }
  }

  private final ConnectionGate gate;
  private final Executor executor;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final int maxPending;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedMutations = new AtomicLong();
  private final AtomicLong failedCommits = new AtomicLong();

  /**
   * @param gate the way to the database
   * @param executor the store executor the committer runs on
   * @param maxBatch most mutations per transaction
   * @param maxDelay how long to wait for more mutations after the first (0 = none)
   * @param maxPending queued mutations past which new ones get EAGAIN
   */
  public GroupCommitter(ConnectionGate gate, Executor executor, int maxBatch, Duration maxDelay,
      int maxPending) {
    this.gate = gate;
    this.executor = executor;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.maxPending = maxPending;
  }

  /** Queues a mutation; the future completes after the commit that contains it. */
  public <R> CompletableFuture<Reply<R>> submit(SqlWork<R> mutation) {
    CompletableFuture<Reply<R>> result = new CompletableFuture<>();
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      result.complete(Reply.error(Errno.EAGAIN));
      return result;
    }
    queue.add(new Pending<>(mutation, result));
    wake();
    return result;
  }

  /** Transactions committed. */
  public long commits() {
    return commits.get();
  }

  /** Mutations in committed transactions. */
  public long committedMutations() {
    return committedMutations.get();
  }

  /** Transactions that failed. */
  public long failedCommits() {
    return failedCommits.get();
  }

  private void wake() {
    if (running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The executor is shut down: nothing will ever commit these.
        running.set(false);
        failQueued(Errno.EBADF);
      }
    }
  }

  private void drain() {
    try {
      while (true) {
        List<Pending<?>> batch = take();
        if (batch.isEmpty()) {
          running.set(false);
          // A mutation queued after take() saw the queue empty but before running was cleared
          // found running set and did not start a committer: this one goes on for it.
          if (queue.isEmpty() || !running.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        commit(batch);
      }
    } catch (RuntimeException e) {
      // A bug outside any one mutation (commit() answers for those): start afresh.
      LOG.error("Page store committer failed; starting it again", e);
      running.set(false);
      if (!queue.isEmpty()) {
        wake();
      }
    }
  }

  private List<Pending<?>> take() {
    List<Pending<?>> batch = new ArrayList<>();
    queue.drainTo(batch, maxBatch);
    if (!batch.isEmpty() && maxDelayNanos > 0 && batch.size() < maxBatch) {
      long deadline = System.nanoTime() + maxDelayNanos;
      try {
        for (long left = maxDelayNanos; left > 0 && batch.size() < maxBatch;
            left = deadline - System.nanoTime()) {
          Pending<?> next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
          queue.drainTo(batch, maxBatch - batch.size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pending.addAndGet(-batch.size());
    return batch;
  }

  private void commit(List<Pending<?>> batch) {
    List<Reply<?>> replies = new ArrayList<>(batch.size());
    Reply<Void> outcome;
    try {
      outcome = gate.run(c -> runInTransaction(c, batch, replies));
    } catch (SQLException e) {
      if (batch.size() > 1) {
        LOG.debug("Page store refused a batch of {} ({}); committing them one by one",
            batch.size(), StoreHealth.describe(e));
        for (Pending<?> p : batch) {
          commit(List.of(p));
        }
        return;
      }
      LOG.warn("Page store refused a mutation (SQLSTATE {}): {}", e.getSQLState(),
          StoreHealth.describe(e));
      outcome = Reply.error(Errno.EIO);
    } catch (RuntimeException e) {
      LOG.error("Page store mutation failed unexpectedly", e);
      outcome = Reply.error(Errno.EIO);
    }
    if (outcome.isOk()) {
      commits.incrementAndGet();
      committedMutations.addAndGet(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).complete(replies.get(i));
      }
    } else {
      failedCommits.incrementAndGet();
      for (Pending<?> p : batch) {
        p.complete(outcome);
      }
    }
  }

  private static Reply<Void> runInTransaction(Connection c, List<Pending<?>> batch,
      List<Reply<?>> replies) throws SQLException {
    c.setAutoCommit(false);
    try {
      for (Pending<?> p : batch) {
        replies.add(p.mutation().run(c));
      }
      c.commit();
      return Reply.ok(null);
    } catch (SQLException | RuntimeException e) {
      replies.clear();
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the original failure says why
      }
      throw e;
    }
  }

  /** Completes every queued mutation with {@code errno} (the store is closing or closed). */
  public void failQueued(Errno errno) {
    for (Pending<?> p; (p = queue.poll()) != null; ) {
      pending.decrementAndGet();
      p.complete(Reply.error(errno));
    }
  }
}

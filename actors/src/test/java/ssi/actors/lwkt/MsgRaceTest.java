package ssi.actors.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ssi.testing.LogCapture;

/**
 * Invariant 1 (DESIGN §12) under deliberate races: for thousands of rounds, several threads hit the
 * same message at once with replies, aborts, drops, timeouts and takes in a random order, and the
 * reply port must see exactly one reply per message, consistent with the message's final state
 * and with the port's counters.
 */
@ExtendWith(LogCapture.class)
class MsgRaceTest {

  private static final int ROUNDS = 20_000;
  private static final int RACERS = 4;

  private enum Action { REPLY_VALUE, REPLY_ERROR, BEGIN_AND_REPLY, ABORT, DROP, TIMEOUT }

  /**
   * Releases all racers of a round within nanoseconds of each other (a blocking barrier wakes them
   * microseconds apart, which hides races). Spins with {@code yield} so it also works when there
   * are more racers than cores.
   */
  private static final class SpinGate {
    private final int parties;
    private final AtomicLong arrived = new AtomicLong();
    private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);

    SpinGate(int parties) {
      this.parties = parties;
    }

    void await(int round) {
      long target = (long) parties * (round + 1);
      arrived.incrementAndGet();
      while (arrived.get() < target) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("racers never met at round " + round);
        }
        Thread.yield();
      }
    }
  }

  @Test
  void everyMessageGetsExactlyOneReplyWhateverRaces() throws Exception {
    ConcurrentHashMap<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    Port<Integer, Integer> target = Port.<Integer, Integer>builder("race-target", PortKind.SERIALIZER)
        .sink(m -> { }) // the racers play the owner; nothing needs to run on enqueue
        .build();
    Port<Integer, Integer> replies = Port.<Integer, Integer>builder("race-replies", PortKind.REPLY_ONLY)
        .sink(m -> deliveries.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet())
        .build();

    List<Msg<Integer, Integer>> msgs = new ArrayList<>(ROUNDS);
    Action[][] plan = new Action[ROUNDS][RACERS];
    Random random = new Random(42);
    for (int r = 0; r < ROUNDS; r++) {
      Msg<Integer, Integer> m = Msg.of(r, true, true);
      target.sendmsg(m, replies);
      msgs.add(m);
      List<Action> actions = new ArrayList<>(List.of(Action.values()));
      Collections.shuffle(actions, random);
      for (int t = 0; t < RACERS; t++) {
        plan[r][t] = actions.get(t);
      }
    }

    AtomicLong refusedReplies = new AtomicLong();
    SpinGate start = new SpinGate(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<?>> racers = new ArrayList<>();
      for (int t = 0; t < RACERS; t++) {
        int me = t;
        racers.add(pool.submit(() -> {
          for (int r = 0; r < ROUNDS; r++) {
            start.await(r);
            Msg<Integer, Integer> m = msgs.get(r);
            boolean refused = switch (plan[r][me]) {
              case REPLY_VALUE -> !Lwkt.replyValue(m, r);
              case REPLY_ERROR -> !Lwkt.replymsg(m, Errno.EIO);
              case BEGIN_AND_REPLY -> m.begin() && !Lwkt.replyValue(m, -r);
              case ABORT -> { Lwkt.abortmsg(m); yield false; }
              case DROP -> { Lwkt.dropmsg(target, m); yield false; }
              case TIMEOUT -> { m.timeout(); yield false; }
            };
            if (refused) {
              refusedReplies.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : racers) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (Msg<Integer, Integer> m : msgs) {
      AtomicInteger n = deliveries.get(m.id());
      assertNotNull(n, "no reply delivered for " + m);
      assertEquals(1, n.get(), "replies delivered for " + m);
      assertTrue(m.state().terminal(), "not ended: " + m);
      Reply<Integer> reply = m.reply();
      Errno expected = switch (m.state()) {
        case ABORTED -> Errno.EINTR;
        case DROPPED -> Errno.ECANCELED;
        case TIMED_OUT -> Errno.ETIMEDOUT;
        default -> reply.errno();
      };
      assertEquals(expected, reply.errno(), "reply matches final state of " + m);
    }
    PortStats s = target.stats();
    assertEquals(ROUNDS, s.sent());
    assertEquals(ROUNDS, s.replied() + s.aborted() + s.dropped() + s.timedOut(), s.toString());
    assertEquals(0, s.inFlight(), s.toString());
    assertEquals(refusedReplies.get(), s.duplicateRepliesRefused(), s.toString());
    assertEquals(ROUNDS, replies.stats().queued(), "replies reaching the reply port");
    // The plan makes every kind of ending win somewhere; otherwise the race was not exercised.
    assertTrue(s.replied() > 0 && s.aborted() > 0 && s.dropped() > 0 && s.timedOut() > 0, s.toString());
  }
}

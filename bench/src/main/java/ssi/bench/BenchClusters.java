package ssi.bench;

import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Shared set-up of the suites that run several cluster nodes in one JVM. */
public final class BenchClusters {

  private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

  private BenchClusters() {
  }

  /** Waits until {@code system} sees {@code n} members Up; fails after {@code timeout}. */
  public static void awaitUp(ActorSystem<?> system, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int up = 0;
      for (Member m : Cluster.get(system).state().getMembers()) {
        up += m.status() == MemberStatus.up() ? 1 : 0;
      }
      if (up == n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the nodes did not form a cluster within "
            + timeout.toSeconds() + " s (" + up + " of " + n + " Up)");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}

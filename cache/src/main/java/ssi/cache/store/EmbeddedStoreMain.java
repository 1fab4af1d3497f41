package ssi.cache.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one embedded PostgreSQL as a long-lived process of its own, for {@code bin/ssi up} and the
 * multi-JVM test harness: every local node is handed its URL as {@code ssi.store.url}.
 *
 * <pre>
 * java -cp node/target/ssi-node.jar ssi.cache.store.EmbeddedStoreMain --data-dir .ssi/pgdata --port 5433
 * java -Dssi.store.embedded.data-dir=.ssi/pgdata -Dssi.store.embedded.port=5433 \
 *      -cp node/target/ssi-node.jar ssi.cache.store.EmbeddedStoreMain
 * </pre>
 *
 * <p>Arguments win over the system properties, which win over {@code reference.conf}
 * ({@code .ssi/pgdata}, port 0 = any free port). The data directory is initialised on first start
 * and reused afterwards, so a restarted cluster finds its objects again. When PostgreSQL accepts
 * connections the process prints exactly one line to standard output,
 * {@code READY jdbc:postgresql://127.0.0.1:PORT/postgres}, and keeps running; SIGTERM (or
 * SIGINT) stops PostgreSQL cleanly, prints {@code STOPPED}, and exits. If PostgreSQL cannot
 * start it prints {@code FAILED reason} to standard error and exits with status 1.
 *
 * <p>{@code --parent-pid N} ties the process to its starter (the test JVM): when process N exits,
 * this one stops PostgreSQL and exits too ({@value #EXIT_PARENT_GONE}), so a killed build leaves
 * no PostgreSQL behind. {@code bin/ssi up} does not pass it: its store outlives the command.
 */
public final class EmbeddedStoreMain {

  /** Exit status when the watched parent process went away (the node's, too). */
  public static final int EXIT_PARENT_GONE = 3;

  private EmbeddedStoreMain() {
  }

  /** Starts PostgreSQL, prints READY, waits for SIGTERM. */
  public static void main(String[] args) throws InterruptedException {
    Config config = ConfigFactory.load().getConfig("ssi.store.embedded");
    Path dataDir = Path.of(config.getString("data-dir"));
    int port = config.getInt("port");
    long parentPid = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(required(args[i], value));
        case "--port" -> port = Integer.parseInt(required(args[i], value));
        case "--parent-pid" -> parentPid = Long.parseLong(required(args[i], value));
        default -> usage("unknown argument " + args[i]);
      }
      i++;
    }

    if (parentPid > 0 && ProcessHandle.of(parentPid).filter(ProcessHandle::isAlive).isEmpty()) {
      System.err.println("FAILED parent process " + parentPid + " is not running");
      System.exit(1);
    }

    EmbeddedStore store;
    try {
      store = EmbeddedStore.start(dataDir, port);
    } catch (IOException | RuntimeException e) {
      System.err.println("FAILED " + e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        store.close();
        System.out.println("STOPPED");
      } catch (IOException e) {
        System.err.println("FAILED to stop PostgreSQL cleanly: " + e);
      } finally {
        stopped.countDown();
      }
    }, "embedded-store-shutdown"));
    System.out.println("READY " + store.url());
    System.out.flush();
    watchParent(parentPid);
    stopped.await();
  }

  /** Exits (the shutdown hook stops PostgreSQL) when process {@code parentPid} exits. */
  private static void watchParent(long parentPid) {
    if (parentPid <= 0) {
      return;
    }
    ProcessHandle.of(parentPid).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> {
          System.err.println("parent process " + parentPid + " is gone; stopping PostgreSQL");
          System.exit(EXIT_PARENT_GONE);
        }),
        () -> System.exit(EXIT_PARENT_GONE));
  }

  private static String required(String option, String value) {
    if (value == null) {
      usage(option + " needs a value");
    }
    return value;
  }

  private static void usage(String problem) {
    System.err.println("FAILED " + problem
        + "; usage: EmbeddedStoreMain [--data-dir DIR] [--port PORT] [--parent-pid PID]");
    System.exit(2);
  }
}

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
 */
public final class EmbeddedStoreMain {

  private EmbeddedStoreMain() {
  }

  /** Starts PostgreSQL, prints READY, waits for SIGTERM. */
  public static void main(String[] args) throws InterruptedException {
    Config config = ConfigFactory.load().getConfig("ssi.store.embedded");
    Path dataDir = Path.of(config.getString("data-dir"));
    int port = config.getInt("port");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(required(args[i], value));
        case "--port" -> port = Integer.parseInt(required(args[i], value));
        default -> usage("unknown argument " + args[i]);
      }
      i++;
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
    stopped.await();
  }

  private static String required(String option, String value) {
    if (value == null) {
      usage(option + " needs a value");
    }
    return value;
  }

  private static void usage(String problem) {
    System.err.println("FAILED " + problem
        + "; usage: EmbeddedStoreMain [--data-dir DIR] [--port PORT]");
    System.exit(2);
  }
}

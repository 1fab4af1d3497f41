package ssi.cache.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;

/**
 * The page store's settings, {@code ssi.page-size} and {@code ssi.store.*} (documented with their
 * defaults in this module's {@code reference.conf}).
 *
 * <pre>{@code
 * StoreSettings s = StoreSettings.from(system.settings().config());
 * if (s.url().isEmpty()) { ... this node was handed no store: the caller decides ... }
 * }</pre>
 *
 * @param pageSize bytes per page ({@code ssi.page-size})
 * @param url JDBC URL of the PostgreSQL database; empty when the node was handed none
 * @param user database user
 * @param password database password
 * @param poolSize connections in the HikariCP pool (and threads of {@code ssi-store-dispatcher})
 * @param connectTimeout how long an operation waits for a connection
 * @param socketTimeout how long a statement waits for the server
 * @param operationTimeout upper bound on any operation, queueing included
 * @param retryInterval how often a store found down is tried again
 * @param maxPagesPerRead the largest range {@link PageStore#readPages} accepts
 * @param maxBatch most mutations in one group-commit transaction
 * @param maxDelay how long the committer waits for more mutations after the first
 * @param maxPending mutations waiting for the committer before new ones get EAGAIN
 */
public record StoreSettings(int pageSize, String url, String user, String password, int poolSize,
    Duration connectTimeout, Duration socketTimeout, Duration operationTimeout,
    Duration retryInterval, int maxPagesPerRead, int maxBatch, Duration maxDelay, int maxPending) {

  /** Checks the values, so a bad configuration fails at start rather than at first use. */
  public StoreSettings {
    if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException("ssi.page-size must be a power of two >= 512, got "
          + pageSize);
    }
    requirePositive("ssi.store.pool-size", poolSize);
    requirePositive("ssi.store.max-pages-per-read", maxPagesPerRead);
    requirePositive("ssi.store.group-commit.max-batch", maxBatch);
    requirePositive("ssi.store.group-commit.max-pending", maxPending);
    if (connectTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("ssi.store.connect-timeout must be >= 250ms");
    }
    if (socketTimeout.isNegative() || operationTimeout.isNegative() || operationTimeout.isZero()
        || retryInterval.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("ssi.store timeouts and intervals must not be negative");
    }
  }

  /** Reads the settings from a node's (resolved) config. */
  public static StoreSettings from(Config config) {
    Config s = config.getConfig("ssi.store");
    return new StoreSettings(
        config.getInt("ssi.page-size"),
        s.getString("url"),
        s.getString("user"),
        s.getString("password"),
        s.getInt("pool-size"),
        s.getDuration("connect-timeout"),
        s.getDuration("socket-timeout"),
        s.getDuration("operation-timeout"),
        s.getDuration("retry-interval"),
        s.getInt("max-pages-per-read"),
        s.getInt("group-commit.max-batch"),
        s.getDuration("group-commit.max-delay"),
        s.getInt("group-commit.max-pending"));
  }

  /** The defaults of {@code reference.conf} (and system properties) pointed at {@code url}. */
  public static StoreSettings forUrl(String url) {
    return from(ConfigFactory.load()
        .withValue("ssi.store.url", ConfigValueFactory.fromAnyRef(url)));
  }

  /** Whether this node was handed a store URL. */
  public boolean hasUrl() {
    return !url.isBlank();
  }

  /** These settings with another URL. */
  public StoreSettings withUrl(String newUrl) {
    return new StoreSettings(pageSize, newUrl, user, password, poolSize, connectTimeout,
        socketTimeout, operationTimeout, retryInterval, maxPagesPerRead, maxBatch, maxDelay,
        maxPending);
  }

  /** These settings with other group-commit bounds (tests and benchmarks). */
  public StoreSettings withGroupCommit(int newMaxBatch, Duration newMaxDelay) {
    return new StoreSettings(pageSize, url, user, password, poolSize, connectTimeout,
        socketTimeout, operationTimeout, retryInterval, maxPagesPerRead, newMaxBatch, newMaxDelay,
        maxPending);
  }

  /** The password is not printed. */
  @Override
  public String toString() {
    return "StoreSettings[pageSize=" + pageSize + ", url=" + url + ", user=" + user
        + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", socketTimeout="
        + socketTimeout + ", operationTimeout=" + operationTimeout + ", retryInterval="
        + retryInterval + ", maxPagesPerRead=" + maxPagesPerRead + ", maxBatch=" + maxBatch
        + ", maxDelay=" + maxDelay + ", maxPending=" + maxPending + "]";
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be >= 1, got " + value);
    }
  }
}

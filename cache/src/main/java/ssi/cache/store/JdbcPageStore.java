package ssi.cache.store;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.internal.ConnectionGate;
import ssi.cache.store.internal.GroupCommitter;
import ssi.cache.store.internal.Mutations;
import ssi.cache.store.internal.NamespaceMutations;
import ssi.cache.store.internal.Reads;
import ssi.cache.store.internal.SqlWork;
import ssi.cache.store.internal.StoreHealth;

/**
 * The {@link PageStore} on PostgreSQL over JDBC, connections from HikariCP.
 *
 * <p>Design. All JDBC runs on one executor: inside a node the blocking dispatcher {@value
 * #DISPATCHER} ({@link #open(ActorSystem)}), in tests any {@link Executor}. Reads run as
 * independent tasks in auto-commit. Mutations go through a {@link GroupCommitter}: one committer
 * at a time batches whatever is pending into a transaction and completes each caller after the
 * commit. A {@link StoreHealth} turns an outage into prompt EIO (one log line), and the store
 * comes back by itself: the pool is built not to fail when the database is down
 * (HikariCP {@code initializationFailTimeout = -1}), broken connections are evicted, and the first
 * operation after the outage that reaches the database — at most one probe per
 * {@code ssi.store.retry-interval} — marks it up again. The schema is migrated by the first
 * operation that reaches the database, so a store opened while the database is down works once
 * it is up.
 */
public final class JdbcPageStore implements PageStore {

  /** The Akka dispatcher all page-store JDBC runs on inside a node (see reference.conf). */
  public static final String DISPATCHER = "ssi-store-dispatcher";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcPageStore.class);

  private final StoreSettings settings;
  private final Executor executor;
  private final HikariDataSource dataSource;
  private final StoreHealth health;
  private final ConnectionGate gate;
  private final GroupCommitter committer;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong reads = new AtomicLong();
  private volatile boolean closed;

  private JdbcPageStore(StoreSettings settings, Executor executor) {
    if (!settings.hasUrl()) {
      throw new IllegalArgumentException("ssi.store.url is empty: this node was handed no store");
    }
    this.settings = settings;
    this.executor = executor;
    this.dataSource = new HikariDataSource(hikari(settings));
    this.health = new StoreHealth(settings.url(), settings.retryInterval());
    this.gate = new ConnectionGate(dataSource, health, settings.pageSize());
    this.committer = new GroupCommitter(gate, executor, settings.maxBatch(), settings.maxDelay(),
        settings.maxPending());
  }

  /**
   * Opens a store whose JDBC runs on {@code executor}. Returns at once, also when the database
   * is down (operations then get EIO until it is up); the schema is migrated in the background.
   */
  public static JdbcPageStore open(StoreSettings settings, Executor executor) {
    JdbcPageStore store = new JdbcPageStore(settings, executor);
    LOG.info("Page store on {} (pool {}, group commit max {} per transaction)", settings.url(),
        settings.poolSize(), settings.maxBatch());
    store.ready();
    return store;
  }

  /**
   * Opens a store with the node's settings ({@code ssi.store.*}), its JDBC on the dispatcher
   * {@value #DISPATCHER}. The caller checks {@link StoreSettings#hasUrl()} first.
   */
  public static JdbcPageStore open(ActorSystem<?> system) {
    return open(StoreSettings.from(system.settings().config()),
        system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER)));
  }

  /** OK once the database is reachable and its schema migrated; EIO while it is not. */
  public CompletionStage<Reply<Void>> ready() {
    // A real round trip: a pooled connection used recently is handed out unvalidated.
    return read(c -> {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SELECT 1");
      }
      return Reply.ok(null);
    });
  }

  @Override
  public int pageSize() {
    return settings.pageSize();
  }

  @Override
  public CompletionStage<Reply<ObjectMeta>> createObject(long id, ObjectKind kind) {
    if (kind == null) {
      return done(Errno.EINVAL);
    }
    return mutate(Mutations.create(id, kind, Instant.now()));
  }

  @Override
  public CompletionStage<Reply<ObjectMeta>> getObject(long id) {
    return read(Reads.object(id));
  }

  @Override
  public CompletionStage<Reply<Void>> deleteObject(long id) {
    return mutate(Mutations.delete(id));
  }

  @Override
  public CompletionStage<Reply<Page>> readPage(long id, long pageNumber) {
    if (!validPageNumber(pageNumber)) {
      return done(Errno.EINVAL);
    }
    return read(Reads.page(id, pageNumber, settings.pageSize()));
  }

  @Override
  public CompletionStage<Reply<List<Page>>> readPages(long id, long firstPage, int count) {
    if (!validPageNumber(firstPage) || count < 0 || count > settings.maxPagesPerRead()) {
      return done(Errno.EINVAL);
    }
    if (count == 0) {
      return read(c -> Reads.object(id).run(c).isOk() ? Reply.ok(List.of())
          : Reply.error(Errno.ENOENT));
    }
    return read(Reads.pages(id, firstPage, count));
  }

  @Override
  public CompletionStage<Reply<Void>> writePages(long id, List<Page> pages) {
    if (pages == null) {
      return done(Errno.EINVAL);
    }
    for (Page p : pages) {
      if (p == null || !validPageNumber(p.number()) || p.serial() < 0
          || p.size() != settings.pageSize()) {
        return done(Errno.EINVAL);
      }
    }
    return mutate(Mutations.write(id, List.copyOf(pages)));
  }

  @Override
  public CompletionStage<Reply<ObjectMeta>> setLength(long id, long length, Instant mtime) {
    if (length < 0 || mtime == null) {
      return done(Errno.EINVAL);
    }
    return mutate(Mutations.setLength(id, length, mtime, settings.pageSize()));
  }

  @Override
  public CompletionStage<Reply<ObjectMeta>> extendLength(long id, long atLeast, Instant mtime) {
    if (atLeast < 0 || mtime == null) {
      return done(Errno.EINVAL);
    }
    return mutate(Mutations.extendLength(id, atLeast, mtime));
  }

  @Override
  public CompletionStage<Reply<Void>> flush() {
    return mutate(Mutations.barrier());
  }

  @Override
  public CompletionStage<Reply<Long>> nextObjectId() {
    return read(NamespaceMutations.nextId());
  }

  @Override
  public CompletionStage<Reply<DirEntry>> lookupEntry(long dir, long dirGen, String name) {
    return name == null ? done(Errno.EINVAL) : read(NamespaceMutations.lookup(dir, dirGen, name));
  }

  @Override
  public CompletionStage<Reply<List<DirEntry>>> listEntries(long dir, long dirGen) {
    return read(NamespaceMutations.list(dir, dirGen));
  }

  @Override
  public CompletionStage<Reply<List<DirEntry>>> snapshotEntries(List<Long> dirs) {
    return dirs == null ? done(Errno.EINVAL) : read(NamespaceMutations.snapshot(List.copyOf(dirs)));
  }

  @Override
  public CompletionStage<Reply<DirEntry>> createEntry(long dir, long dirGen, String name,
      ObjectKind kind) {
    if (name == null || (kind != ObjectKind.FILE && kind != ObjectKind.DIRECTORY)) {
      return done(Errno.EINVAL);
    }
    return mutate(NamespaceMutations.create(dir, dirGen, name, kind, Instant.now()));
  }

  @Override
  public CompletionStage<Reply<DirEntry>> removeEntry(long dir, long dirGen, String name,
      ObjectKind kind) {
    if (name == null || (kind != ObjectKind.FILE && kind != ObjectKind.DIRECTORY)) {
      return done(Errno.EINVAL);
    }
    return mutate(NamespaceMutations.remove(dir, dirGen, name, kind));
  }

  @Override
  public CompletionStage<Reply<DirEntry>> renameEntry(long srcDir, long srcGen, String srcName,
      long dstDir, long dstGen, String dstName) {
    if (srcName == null || dstName == null) {
      return done(Errno.EINVAL);
    }
    return mutate(NamespaceMutations.rename(srcDir, srcGen, srcName, dstDir, dstGen, dstName));
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(committer.commits(), committer.committedMutations(),
        committer.failedCommits(), reads.get(), health.isUp());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .get(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Page store closing with operations still in flight");
    }
    committer.failQueued(Errno.EBADF);
    dataSource.close();
    LOG.info("Page store on {} closed ({})", settings.url(), stats());
  }

  private <R> CompletionStage<Reply<R>> mutate(SqlWork<R> mutation) {
    if (closed) {
      return done(Errno.EBADF);
    }
    return bound(committer.submit(mutation));
  }

  private <R> CompletionStage<Reply<R>> read(SqlWork<R> work) {
    if (closed) {
      return done(Errno.EBADF);
    }
    CompletableFuture<Reply<R>> result = new CompletableFuture<>();
    try {
      executor.execute(() -> result.complete(runRead(work)));
    } catch (RejectedExecutionException e) {
      result.complete(Reply.error(Errno.EBADF));
    }
    return bound(result);
  }

  private <R> Reply<R> runRead(SqlWork<R> work) {
    try {
      Reply<R> reply = gate.run(work);
      if (reply.errno() != Errno.EIO) {
        reads.incrementAndGet();
      }
      return reply;
    } catch (SQLException e) {
      LOG.warn("Page store refused a read (SQLSTATE {}): {}", e.getSQLState(), e.getMessage());
      return Reply.error(Errno.EIO);
    } catch (RuntimeException e) {
      LOG.error("Page store read failed unexpectedly", e);
      return Reply.error(Errno.EIO);
    }
  }

  /** Tracks the operation for close() and bounds it by ssi.store.operation-timeout. */
  private <R> CompletionStage<Reply<R>> bound(CompletableFuture<Reply<R>> result) {
    inFlight.add(result);
    result.whenComplete((r, e) -> inFlight.remove(result));
    return result.completeOnTimeout(Reply.error(Errno.EIO),
        settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean validPageNumber(long n) {
    return n >= 0 && n <= Long.MAX_VALUE / settings.pageSize();
  }

  private static <R> CompletionStage<Reply<R>> done(Errno errno) {
    return CompletableFuture.completedFuture(Reply.error(errno));
  }

  private static HikariConfig hikari(StoreSettings s) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("ssi-store");
    h.setJdbcUrl(s.url());
    h.setUsername(s.user());
    if (!s.password().isEmpty()) {
      h.setPassword(s.password());
    }
    h.setMaximumPoolSize(s.poolSize());
    h.setMinimumIdle(1);
    h.setConnectionTimeout(s.connectTimeout().toMillis());
    h.setValidationTimeout(Math.max(250, s.connectTimeout().toMillis() / 2));
    // Never fail (or block) at construction: a store opened while the database is down comes
    // up when it does.
    h.setInitializationFailTimeout(-1);
    h.setAutoCommit(true);
    // Driver properties as strings: the driver reads them with Properties.getProperty.
    String connectSeconds = Integer.toString(seconds(s.connectTimeout()));
    h.addDataSourceProperty("connectTimeout", connectSeconds);
    h.addDataSourceProperty("loginTimeout", connectSeconds);
    h.addDataSourceProperty("socketTimeout", Integer.toString(seconds(s.socketTimeout())));
    h.addDataSourceProperty("tcpKeepAlive", "true");
    h.addDataSourceProperty("ApplicationName", "ssi-page-store");
    h.addDataSourceProperty("reWriteBatchedInserts", "true");
    return h;
  }

  /** Whole seconds, rounded up, at least 1 (the driver's timeouts are in seconds; 0 = none). */
  private static int seconds(Duration d) {
    return (int) Math.max(1, (d.toMillis() + 999) / 1000);
  }
}

package ssi.cache.store;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;

/**
 * The node's page store (an Akka extension): one {@link JdbcPageStore} per node, opened on first
 * use when {@code ssi.store.url} is set, its JDBC on {@value JdbcPageStore#DISPATCHER}, closed by
 * coordinated shutdown (phase {@code before-actor-system-terminate}, after the actors that use it
 * have stopped). With no URL the node has no store, and says so: {@link #store()} is empty.
 *
 * <pre>{@code
 * PageStores stores = PageStores.get(system);       // the node opens it at boot
 * stores.store().ifPresentOrElse(s -> ..., () -> ... "no store configured" ...);
 * }</pre>
 *
 * <p>Opening never blocks nor fails on an unreachable database: the store answers EIO until the
 * database is up and recovers by itself afterwards (see {@link JdbcPageStore}).
 */
public final class PageStores implements Extension {

  private static final Logger LOG = LoggerFactory.getLogger(PageStores.class);
  private static final Id ID = new Id();

  private final StoreSettings settings;
  private final Optional<JdbcPageStore> store;

  private PageStores(ActorSystem<?> system) {
    this.settings = StoreSettings.from(system.settings().config());
    if (!settings.hasUrl()) {
      LOG.info("No page store: ssi.store.url is empty (bin/ssi up and the test harness pass the "
          + "URL of an embedded PostgreSQL; a cluster of machines sets it to its server)");
      this.store = Optional.empty();
      return;
    }
    JdbcPageStore opened = JdbcPageStore.open(system);
    this.store = Optional.of(opened);
    // close() blocks until in-flight operations finish: run it on Akka's blocking dispatcher,
    // neither on a CPU nor on the store's own threads (which those operations need).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-page-store", () -> CompletableFuture.supplyAsync(() -> {
          opened.close();
          return Done.getInstance();
        }, system.dispatchers().lookup(DispatcherSelector.blocking())));
  }

  /** This node's page stores, opening the store on first call. */
  public static PageStores get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Whether this node was handed a store URL ({@code ssi.store.url}). */
  public boolean configured() {
    return store.isPresent();
  }

  /** The node's page store; empty when {@code ssi.store.url} is not set. */
  public Optional<PageStore> store() {
    return store.map(s -> s);
  }

  /** The settings the store was opened with (also when none was: then the URL is empty). */
  public StoreSettings settings() {
    return settings;
  }

  /**
   * Asks the database now whether it is reachable: OK when it is, EIO when it is not (at most one
   * real attempt per {@code ssi.store.retry-interval} while it is down; the first success brings
   * the store back), EBADF when no store is configured. Answers within twice
   * {@code ssi.store.connect-timeout}: one wait for a connection plus the statement, so a
   * database that hangs rather than refuses is reported as EIO, not waited for.
   */
  public CompletionStage<Reply<Void>> probe() {
    if (store.isEmpty()) {
      return CompletableFuture.completedFuture(Reply.error(Errno.EBADF));
    }
    return store.get().ready().toCompletableFuture().completeOnTimeout(Reply.error(Errno.EIO),
        2 * settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static final class Id extends ExtensionId<PageStores> {
    @Override
    public PageStores createExtension(ActorSystem<?> system) {
      return new PageStores(system);
    }
  }
}

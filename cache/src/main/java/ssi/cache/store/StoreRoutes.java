package ssi.cache.store;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.server.Route;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;

import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.path;

/**
 * {@code GET /ssi/store}: the node's page store — its URL (never a password), whether the
 * database answers right now (each request probes it, which is also what brings a store that was
 * down back without other traffic), and its counters. Always 200: a store that is down or not
 * configured is a state to report, not an error of the request.
 *
 * <pre>
 * {"configured":true,"url":"jdbc:postgresql://127.0.0.1:5433/postgres","user":"postgres",
 *  "up":true,"errno":"OK","pageSize":4096,"poolSize":4,
 *  "stats":{"commits":12,"committedMutations":40,"failedCommits":0,"reads":7,"available":true}}
 * {"configured":false,"url":null,...,"up":false,"errno":"EBADF","stats":null,"note":"..."}
 * </pre>
 */
public final class StoreRoutes implements SsiRouteContributor {

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;]password=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*):[^/@]*@");
  private static final String NOT_CONFIGURED = "ssi.store.url is empty: this node was handed no "
      + "page store (bin/ssi up and the test harness pass the URL of an embedded PostgreSQL; set "
      + "ssi.store.url or SSI_STORE_URL to use a PostgreSQL server)";

  /**
   * What {@code GET /ssi/store} answers.
   *
   * @param configured whether {@code ssi.store.url} is set
   * @param url the JDBC URL with any password removed; null when not configured
   * @param user the database user; null when not configured
   * @param up whether the probe of this request reached the database
   * @param errno the probe's errno (OK, EIO when the database is unreachable, EBADF when no store
   *     is configured)
   * @param pageSize bytes per page
   * @param poolSize connections in the pool
   * @param stats the store's counters since the node opened it; null when not configured
   * @param note why there is no store, when there is none
   */
  public record StoreView(boolean configured, String url, String user, boolean up, String errno,
      int pageSize, int poolSize, StoreStats stats, String note) {
  }

  @Override
  public Route route(ActorSystem<?> system) {
    // The extension is looked up per request (cheap) so the route also opens the store lazily
    // on a node whose boot did not.
    return path("store", () -> get(() -> onSuccess(view(PageStores.get(system)), SsiJson::ok)));
  }

  /** Probes the store and reports it. */
  static CompletionStage<StoreView> view(PageStores stores) {
    StoreSettings s = stores.settings();
    return stores.probe().thenApply(probe -> stores.store()
        .map(store -> new StoreView(true, redact(s.url()), s.user(), probe.isOk(),
            probe.errno().name(), s.pageSize(), s.poolSize(), store.stats(), null))
        .orElseGet(() -> new StoreView(false, null, null, false, probe.errno().name(),
            s.pageSize(), s.poolSize(), null, NOT_CONFIGURED)));
  }

  /**
   * The URL with any password removed: a {@code password=} parameter and the password of a
   * {@code user:password@} prefix are replaced by {@code ***}.
   */
  static String redact(String url) {
    String noParam = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(noParam).replaceFirst("$1:***@");
  }
}

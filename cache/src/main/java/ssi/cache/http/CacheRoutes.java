package ssi.cache.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import ssi.cache.coherence.DirectoryCore;
import ssi.cache.directory.BackingStore;
import ssi.cache.pagecache.PageCache;
import ssi.cluster.http.AdminToken;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeOKWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractRequestEntity;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.put;
import static akka.http.javadsl.server.Directives.withSizeLimit;

/**
 * {@code GET /ssi/objects/{id}/coherence} (the directory's records), {@code GET /ssi/cache}
 * (this node's cache counters) and raw, coherent object access for tools and tests:
 * {@code GET /ssi/objects/{id}/data?offset=N&length=N} and {@code PUT ...?offset=N} (admin
 * token), and {@code POST /ssi/objects/{id}/fsync} (admin token: this node writes back the
 * object's M pages and answers after the store committed them). Bad ids, offsets or lengths and bodies over {@code ssi.http.max-body} get a JSON 4xx
 * and change nothing.
 */
public final class CacheRoutes implements SsiRouteContributor {

  private static final Duration ASK = Duration.ofSeconds(10);

  @Override
  public Route route(ActorSystem<?> system) {
    long maxBody = system.settings().config().getBytes("ssi.http.max-body");
    return concat(
        path("cache", () -> get(() -> SsiJson.ok(PageCache.get(system).stats()))),
        pathPrefix("objects", () -> pathPrefix(PathMatchers.segment(), idText -> {
          long id;
          try {
            id = Long.parseLong(idText);
          } catch (NumberFormatException e) {
            id = -1;
          }
          if (id < 0) {
            return SsiJson.error(StatusCodes.BAD_REQUEST,
                "object id must be a non-negative 64-bit number, got '" + idText + "'");
          }
          long obj = id;
          return concat(
              path("coherence", () -> get(() -> coherence(system, obj))),
              path("fsync", () -> post(() -> AdminToken.require(system, () -> fsync(system, obj)))),
              path("data", () -> concat(
                  get(() -> parameterOptional("offset", off -> parameterOptional("length", len ->
                      readData(system, obj, off, len, maxBody)))),
                  put(() -> AdminToken.require(system, () -> parameterOptional("offset", off ->
                      writeData(system, obj, off, maxBody)))))));
        })));
  }

  private static Route coherence(ActorSystem<?> system, long obj) {
    CompletionStage<BackingStore.View> view = ClusterSharding.get(system)
        .entityRefFor(BackingStore.ENTITY_TYPE_KEY, Long.toString(obj))
        .ask(BackingStore.GetView::new, ASK);
    return onSuccess(view, v -> SsiJson.ok(describe(v)));
  }

  /** The view with each page's state per node spelled out. */
  private static Map<String, Object> describe(BackingStore.View v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("object", v.obj());
    out.put("directoryHost", v.host());
    out.put("generation", v.dirGen());
    out.put("state", v.state());
    out.put("protocol", v.protocol());
    out.put("staleRejected", v.staleRejected());
    out.put("records", v.pages().stream().map(CacheRoutes::record).toList());
    out.put("foldedRanges", v.ranges().stream().map(r -> Map.of("fromPage", r.from(),
        "toPage", r.to(), "mayHold", r.mayHold())).toList());
    return out;
  }

  private static Map<String, Object> record(DirectoryCore.PageView p) {
    Map<String, String> nodes = new LinkedHashMap<>();
    if (p.owner() != null) {
      nodes.put(p.owner(), "E/M");
    }
    p.sharers().forEach(s -> nodes.put(s, "S"));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("page", p.page());
    r.put("nodes", nodes);
    r.put("owner", p.owner());
    r.put("sharers", p.sharers());
    r.put("epoch", p.epoch());
    r.put("serial", p.serial());
    r.put("busy", p.busy());
    r.put("waiting", p.waiting());
    return r;
  }

  /** Writes back every M page of the object this node holds; answers after the store committed. */
  private static Route fsync(ActorSystem<?> system, long obj) {
    return onSuccess(PageCache.get(system).fsync(obj), r -> r.isOk()
        ? SsiJson.ok(Map.of("object", obj, "synced", true))
        : SsiJson.error(StatusCodes.SERVICE_UNAVAILABLE, "fsync failed: " + r.errno()));
  }

  private static Route readData(ActorSystem<?> system, long obj, Optional<String> offsetText,
      Optional<String> lengthText, long maxBody) {
    long offset = number(offsetText.orElse("0"));
    long length = number(lengthText.orElse(""));
    if (offset < 0) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "offset must be a non-negative number");
    }
    if (length < 1 || length > maxBody) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "length must be 1.." + maxBody);
    }
    if (offset > Long.MAX_VALUE - length) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "offset + length overflows");
    }
    return onSuccess(PageCache.get(system).read(obj, offset, (int) length), r -> r.isOk()
        ? complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, r.value())))
        : SsiJson.error(StatusCodes.SERVICE_UNAVAILABLE, "read failed: " + r.errno()));
  }

  private static Route writeData(ActorSystem<?> system, long obj, Optional<String> offsetText,
      long maxBody) {
    long offset = number(offsetText.orElse("0"));
    if (offset < 0) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "offset must be a non-negative number");
    }
    return extractRequestEntity(e -> {
      if (e.getContentLengthOption().isPresent() && e.getContentLengthOption().getAsLong() > maxBody) {
        return SsiJson.error(StatusCodes.PAYLOAD_TOO_LARGE, "body over " + maxBody + " bytes");
      }
      return withSizeLimit(maxBody, () -> entity(Unmarshaller.entityToByteArray(), bytes -> {
        if (bytes.length == 0) {
          return SsiJson.error(StatusCodes.BAD_REQUEST, "empty body: nothing to write");
        }
        if (offset > Long.MAX_VALUE - bytes.length) {
          return SsiJson.error(StatusCodes.BAD_REQUEST, "offset + length overflows");
        }
        return onSuccess(PageCache.get(system).write(obj, offset, bytes), r -> r.isOk()
            ? SsiJson.ok(Map.of("object", obj, "offset", offset, "written", bytes.length))
            : SsiJson.error(StatusCodes.SERVICE_UNAVAILABLE, "write failed: " + r.errno()));
      }));
    });
  }

  /** A decimal number, or -1 when the text is not one. */
  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

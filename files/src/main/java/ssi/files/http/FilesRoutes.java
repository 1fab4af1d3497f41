package ssi.files.http;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.server.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ssi.cache.rangelock.LockInfo;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;
import ssi.files.api.FileLocks;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathPrefix;

/**
 * The files module's routes: {@code /ssi/files/{path}} ({@link PathRoutes}),
 * {@code /ssi/handles/{capability}} ({@link HandleRoutes}) and {@code GET /ssi/locks}: the range
 * locks held and waited for on the files whose entity runs on this node, per object.
 */
public final class FilesRoutes implements SsiRouteContributor {

  @Override
  public Route route(ActorSystem<?> system) {
    FileIo io = new FileIo(system);
    PathRoutes paths = new PathRoutes(system, io);
    HandleRoutes handles = new HandleRoutes(system, io);
    return concat(
        pathPrefix("files", paths::route),
        pathPrefix("handles", handles::route),
        path("locks", () -> get(() -> SsiJson.ok(locks(system)))));
  }

  private static Map<String, Object> locks(ActorSystem<?> system) {
    List<Map<String, Object>> objects = FileLocks.get(system).snapshot().entrySet().stream()
        .map(e -> {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("object", e.getKey());
          o.put("held", e.getValue().stream().filter(LockInfo::held).map(FilesRoutes::row)
              .toList());
          o.put("waiting", e.getValue().stream().filter(l -> !l.held()).map(FilesRoutes::row)
              .toList());
          return o;
        }).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", Cluster.get(system).selfMember().address().toString());
    out.put("objects", objects);
    return out;
  }

  private static Map<String, Object> row(LockInfo l) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("owner", l.owner().node() + "#" + Long.toUnsignedString(l.owner().id(), 16));
    r.put("mode", l.mode().name());
    r.put("offset", l.offset());
    r.put("length", l.length());
    r.put("since", l.since().toString());
    return r;
  }
}

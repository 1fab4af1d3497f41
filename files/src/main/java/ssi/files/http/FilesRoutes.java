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
import ssi.files.locks.NodeLocks;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathPrefix;

/**
 * The files module's routes: {@code /ssi/files/{path}} ({@link PathRoutes}),
 * {@code /ssi/handles/{capability}} ({@link HandleRoutes}) and {@code GET /ssi/locks}: per file,
 * the range locks held and waited for on this node with the extents it has cached, and the
 * grants of the files whose lock server runs on this node.
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
    NodeLocks locks = NodeLocks.get(system);
    List<Map<String, Object>> objects = locks.local().entrySet().stream().map(e -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("object", e.getKey());
      o.put("held", e.getValue().locks().stream().filter(LockInfo::held).map(FilesRoutes::row)
          .toList());
      o.put("waiting", e.getValue().locks().stream().filter(l -> !l.held())
          .map(FilesRoutes::row).toList());
      o.put("extents", e.getValue().extents().stream().map(x -> {
        Map<String, Object> r = extent(x.exclusive(), x.start(), x.end());
        r.put("users", x.users());
        r.put("revoking", x.revoking());
        return r;
      }).toList());
      return o;
    }).toList();
    List<Map<String, Object>> servers = locks.servers().entrySet().stream().map(e -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("object", e.getKey());
      o.put("epoch", e.getValue().epoch());
      o.put("recovering", e.getValue().recovering());
      o.put("grants", e.getValue().grants().stream().map(g -> {
        Map<String, Object> r = extent(g.exclusive(), g.start(), g.end());
        r.put("node", g.node());
        r.put("held", g.held());
        r.put("revoked", g.revoked());
        return r;
      }).toList());
      return o;
    }).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", Cluster.get(system).selfMember().address().toString());
    out.put("objects", objects);
    out.put("servers", servers);
    return out;
  }

  /** An extent's mode and range; an extent to the end of the file has a null length. */
  private static Map<String, Object> extent(boolean exclusive, long start, long end) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mode", exclusive ? "EXCLUSIVE" : "SHARED");
    r.put("offset", start);
    r.put("length", end == Long.MAX_VALUE ? null : end - start);
    return r;
  }

  private static Map<String, Object> row(LockInfo l) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("owner", l.owner().node() + "#" + Long.toUnsignedString(l.owner().id(), 16));
    r.put("mode", l.mode().name());
    r.put("offset", l.offset());
    r.put("length", l.offset() + l.length() == Long.MAX_VALUE ? null : l.length());
    r.put("since", l.since().toString());
    return r;
  }
}

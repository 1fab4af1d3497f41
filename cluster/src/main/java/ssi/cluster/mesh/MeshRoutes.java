package ssi.cluster.mesh;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import ssi.cluster.http.AdminToken;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;
import ssi.cluster.node.NodeNames;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEnd;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;

/**
 * {@code GET /ssi/mesh} (links and inbound counters), {@code POST /ssi/mesh/load} (start a
 * diagnostic load run, admin token) and {@code GET /ssi/mesh/load/{id}} (its progress).
 */
public final class MeshRoutes implements SsiRouteContributor {

  /** Finished runs kept for inspection. */
  private static final int KEPT_RUNS = 16;

  /** The body of {@code POST /ssi/mesh/load}. */
  public record LoadRequest(String node, Integer count, Long holdMillis) {
  }

  /** What {@code GET /ssi/mesh} answers. */
  public record MeshView(MeshSettings settings, java.util.List<LinkStats> links,
      java.util.List<InboundStats> inbound) {
  }

  private final Map<Long, MeshLoad> runs = new ConcurrentSkipListMap<>();

  @Override
  public Route route(ActorSystem<?> system) {
    Mesh mesh = Mesh.get(system);
    return pathPrefix("mesh", () -> concat(
        pathEnd(() -> get(() -> SsiJson.ok(new MeshView(mesh.settings(), mesh.links(),
            mesh.inbound())))),
        path("load", () -> post(() -> AdminToken.require(system, () ->
            entity(Jackson.unmarshaller(SsiJson.MAPPER, LoadRequest.class),
                req -> startLoad(system, req))))),
        path(PathMatchers.segment("load").slash(PathMatchers.longSegment()), id -> get(() -> {
          MeshLoad run = runs.get(id);
          return run == null ? SsiJson.error(StatusCodes.NOT_FOUND, "no load run " + id)
              : SsiJson.ok(run.status());
        }))));
  }

  private Route startLoad(ActorSystem<?> system, LoadRequest req) {
    if (req.node() == null || req.node().isBlank()) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "\"node\" (a node name or address) is required");
    }
    int count = req.count() == null ? 100 : req.count();
    long hold = req.holdMillis() == null ? 0 : req.holdMillis();
    if (count < 1 || count > 100_000) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "\"count\" must be 1..100000, got " + count);
    }
    if (hold < 0 || hold > 3_600_000) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "\"holdMillis\" must be 0..3600000");
    }
    return NodeNames.resolve(system, req.node())
        .map(address -> {
          MeshLoad run = MeshLoad.start(system, address, count, hold);
          runs.put(run.id(), run);
          while (runs.size() > KEPT_RUNS) {
            runs.remove(runs.keySet().iterator().next());
          }
          return SsiJson.json(StatusCodes.ACCEPTED, run.status());
        })
        .orElseGet(() -> SsiJson.error(StatusCodes.NOT_FOUND, "no such node: " + req.node()));
  }
}

package ssi.cluster.node;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.server.Route;
import java.util.List;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;

import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

/** {@code GET /ssi/node}: this node's name, cluster address, status, roles, cpus, uptime, version. */
public final class NodeRoutes implements SsiRouteContributor {

  @Override
  public Route route(ActorSystem<?> system) {
    return path("node", () -> get(() -> SsiJson.ok(info(system))));
  }

  /** A snapshot of this node's identity and state. */
  public static NodeInfo info(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    NodeSettings settings = NodeSettings.from(system.settings().config());
    return new NodeInfo(
        settings.name(),
        cluster.selfMember().address().toString(),
        cluster.selfMember().status().toString(),
        List.copyOf(cluster.selfMember().getRoles()),
        settings.cpus(),
        system.uptime(),
        NodeSettings.version());
  }
}

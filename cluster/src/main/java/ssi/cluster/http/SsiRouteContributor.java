package ssi.cluster.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.server.Route;

/**
 * A module's share of the {@code /ssi/...} HTTP routes on the management server. Implementations
 * are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/ssi.cluster.http.SsiRouteContributor}) and need a public no-argument
 * constructor. {@link SsiRoutes} has already matched the {@code ssi} path prefix, so a contributor
 * matches the rest, e.g. {@code path("cpus", ...)}; paths nobody matches get a JSON 404.
 */
public interface SsiRouteContributor {

  /** The routes of this contributor, built once per node at management start-up. */
  Route route(ActorSystem<?> system);
}

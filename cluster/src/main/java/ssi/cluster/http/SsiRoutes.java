package ssi.cluster.http;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.handleExceptions;
import static akka.http.javadsl.server.Directives.handleRejections;
import static akka.http.javadsl.server.Directives.pathPrefix;

/**
 * The {@code /ssi/...} routes on Akka Management's HTTP server (registered in
 * {@code akka.management.http.routes}). It gathers every module's {@link SsiRouteContributor}
 * and answers everything under {@code /ssi} itself, so a wrong path is a JSON 404, a wrong
 * method a JSON 405, a refused request a JSON 4xx and a bug a JSON 500 — the node keeps running.
 */
public final class SsiRoutes implements ManagementRouteProvider {

  private static final Logger LOG = LoggerFactory.getLogger(SsiRoutes.class);

  private final ActorSystem<?> system;

  /** Created by Akka Management through reflection. */
  public SsiRoutes(ExtendedActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    List<Route> routes = new ArrayList<>();
    ServiceLoader.load(SsiRouteContributor.class, getClass().getClassLoader()).stream()
        .sorted(Comparator.comparing(p -> p.type().getName()))
        .forEach(p -> routes.add(p.get().route(system)));
    if (routes.isEmpty()) {
      routes.add(akka.http.javadsl.server.Directives.reject());
    }
    return pathPrefix("ssi", () -> handleExceptions(EXCEPTIONS, () ->
        handleRejections(REJECTIONS, () ->
            concat(routes.get(0), routes.subList(1, routes.size()).toArray(Route[]::new)))));
  }

  private static final ExceptionHandler EXCEPTIONS = ExceptionHandler.newBuilder()
      .match(akka.http.scaladsl.model.EntityStreamSizeException.class,
          e -> SsiJson.error(StatusCodes.PAYLOAD_TOO_LARGE, "request body too large: " + e.getMessage()))
      .matchAny(e -> {
        LOG.error("bug in an /ssi route", e);
        return SsiJson.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e);
      })
      .build();

  private static final RejectionHandler REJECTIONS = RejectionHandler.newBuilder()
      .handleAll(MethodRejection.class, rejections -> SsiJson.error(StatusCodes.METHOD_NOT_ALLOWED,
          "method not allowed; supported: " + rejections.stream()
              .map(r -> r.supported().name()).distinct().collect(Collectors.joining(", "))))
      .handleNotFound(extractUnmatchedPath(rest -> SsiJson.error(StatusCodes.NOT_FOUND,
          "no such route: /ssi" + rest)))
      .build()
      .withFallback(RejectionHandler.defaultHandler())
      .mapRejectionResponse(response -> response.entity().getContentType().binary()
          || response.entity().getContentType().mediaType().toString().equals("application/json")
          ? response
          : response.withEntity(SsiJson.errorEntity(response.status(), rejectionText(response))));

  private static String rejectionText(akka.http.javadsl.model.HttpResponse response) {
    if (response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict) {
      return strict.getData().utf8String();
    }
    return response.status().reason();
  }
}

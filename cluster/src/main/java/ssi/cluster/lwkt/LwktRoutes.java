package ssi.cluster.lwkt;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.Optional;
import ssi.actors.ActorsSettings;
import ssi.actors.bgl.Domains;
import ssi.actors.cpu.Cpus;
import ssi.actors.lwkt.PortStats;
import ssi.actors.lwkt.Ports;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;

/**
 * The node-internal core's routes, all {@code GET}, all JSON with live counters:
 * <ul>
 *   <li>{@code /ssi/cpus} — per-CPU and IPI counters ({@code {"cpus": [...]}});</li>
 *   <li>{@code /ssi/bgl} — each subsystem's coverage, domains, ops, queue wait and hold time;</li>
 *   <li>{@code /ssi/ports?top=N} — the N busiest ports' counters (default
 *       {@code ssi.ports.top-default}, at most {@code ssi.ports.top-max}; anything else is 400).</li>
 * </ul>
 */
public final class LwktRoutes implements SsiRouteContributor {

  /** The body of {@code /ssi/cpus}. */
  record CpusView(int count, List<ssi.actors.cpu.CpuStats> cpus) {
  }

  /** The body of {@code /ssi/bgl}. */
  record BglView(List<String> covered, List<ssi.actors.bgl.SubsystemStats> subsystems) {
  }

  /** The body of {@code /ssi/ports}. */
  record PortsView(int registered, int shown, List<PortStats> ports) {
  }

  @Override
  public Route route(ActorSystem<?> system) {
    ActorsSettings settings = ActorsSettings.from(system.settings().config());
    Cpus cpus = Cpus.get(system);
    Domains domains = Domains.get(system);
    Ports ports = Ports.get(system);
    return concat(
        path("cpus", () -> get(() -> onSuccess(cpus.stats(),
            stats -> SsiJson.ok(new CpusView(cpus.count(), stats))))),
        path("bgl", () -> get(() -> SsiJson.ok(new BglView(
            domains.stats().stream().filter(s -> s.covered()).map(s -> s.name()).toList(),
            domains.stats())))),
        path("ports", () -> get(() -> parameterOptional("top", top -> {
          Optional<Integer> n = parseTop(top, settings.portsTopDefault(), settings.portsTopMax());
          if (n.isEmpty()) {
            return SsiJson.error(StatusCodes.BAD_REQUEST, "top must be an integer from 1 to "
                + settings.portsTopMax() + ", got '" + top.orElse("") + "'");
          }
          List<PortStats> shown = ports.top(n.get());
          return SsiJson.ok(new PortsView(ports.size(), shown.size(), shown));
        }))));
  }

  /** The requested {@code top}, the default when absent, or empty when it is not acceptable. */
  static Optional<Integer> parseTop(Optional<String> top, int dflt, int max) {
    if (top.isEmpty()) {
      return Optional.of(dflt);
    }
    try {
      int n = Integer.parseInt(top.get().trim());
      return n >= 1 && n <= max ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

package ssi.process.http;

import static akka.http.javadsl.server.Directives.completeOK;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.withRequestTimeout;
import static akka.http.javadsl.server.Directives.withSizeLimit;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import ssi.actors.lwkt.Reply;
import ssi.cluster.http.AdminToken;
import ssi.cluster.http.SsiJson;
import ssi.cluster.http.SsiRouteContributor;
import ssi.process.core.ProcessInfo;
import ssi.process.core.Processes;
import ssi.process.fd.FdDriver;
import ssi.process.migration.MigrationEvent;
import ssi.process.migration.MigrationRecord;
import ssi.process.migration.MigrationResult;
import ssi.process.migration.Migrations;

/**
 * The process routes (DESIGN §11): {@code GET/POST /ssi/processes}, {@code GET
 * /ssi/processes/{pid}}, {@code POST .../migrate}, {@code .../kill}, the tty's terminal side
 * ({@code GET/POST .../tty}), {@code GET /ssi/migrations}, {@code GET /ssi/migrations/stream}
 * (server-sent events) and {@code POST /ssi/nodes/{name}/drain}. Mutating routes need the admin
 * token when one is set; bad input gets a JSON 4xx and changes nothing.
 */
public final class ProcessRoutes implements SsiRouteContributor {

  @Override
  public Route route(ActorSystem<?> system) {
    Processes processes = Processes.get(system);
    long maxBody = system.settings().config().getBytes("ssi.http.max-body");
    // A migrate or drain answers when the migration ends: allow it more than the server's
    // default request timeout (a dead target is given up only when the cluster removes it).
    scala.concurrent.duration.FiniteDuration long_ = scala.concurrent.duration.Duration.fromNanos(
        processes.settings().migrateTimeout().plusSeconds(10).toNanos());
    return concat(
        pathPrefix("processes", () -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> onSuccess(processes.list(), l -> SsiJson.ok(Map.of("processes",
                    l.stream().map(ProcessRoutes::json).toList())))),
                post(() -> AdminToken.require(system, () -> withSizeLimit(maxBody, () ->
                    entity(Unmarshaller.entityToString(), body -> spawn(processes, body))))))),
            pathPrefix(PathMatchers.segment(), pidText -> {
              long pid = number(pidText);
              if (pid < 0) {
                return SsiJson.error(StatusCodes.BAD_REQUEST,
                    "pid must be a non-negative number, got '" + pidText + "'");
              }
              return concat(
                  pathEndOrSingleSlash(() -> get(() -> onSuccess(processes.find(pid), f ->
                      f.isEmpty() ? noSuchProcess(pid) : SsiJson.ok(json(f.get().info()))))),
                  path("migrate", () -> post(() -> AdminToken.require(system, () ->
                      withRequestTimeout(long_, () -> withSizeLimit(maxBody, () ->
                          entity(Unmarshaller.entityToString(), body ->
                              migrate(processes, pid, body))))))),
                  path("kill", () -> post(() -> AdminToken.require(system, () ->
                      withSizeLimit(maxBody, () -> entity(Unmarshaller.entityToString(), body ->
                          kill(processes, pid, body)))))),
                  path("tty", () -> concat(
                      get(() -> parameterOptional("from", from -> ttyOutput(system, processes,
                          pid, from))),
                      post(() -> AdminToken.require(system, () -> withSizeLimit(maxBody, () ->
                          entity(Unmarshaller.entityToByteArray(), bytes ->
                              ttyInput(system, processes, pid, bytes))))))));
            }))),
        pathPrefix("migrations", () -> concat(
            pathEndOrSingleSlash(() -> get(() -> onSuccess(Migrations.get(system).all(), l ->
                SsiJson.ok(Map.of("migrations", l.stream().map(ProcessRoutes::json)
                    .toList()))))),
            path("stream", () -> get(() -> completeOK(Migrations.get(system).live()
                    .map(ProcessRoutes::event)
                    .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat),
                EventStreamMarshalling.toEventStream()))))),
        pathPrefix("nodes", () -> pathPrefix(PathMatchers.segment(), name ->
            path("drain", () -> post(() -> AdminToken.require(system, () ->
                withRequestTimeout(long_.$times(10), () -> onSuccess(processes.drain(name), o -> o.isOk()
                    ? SsiJson.ok(Map.of("node", name, "migrated", o.value(), "leaving", true))
                    : SsiJson.error(StatusCodes.get(o.status()), o.error())))))))));
  }

  // ---- spawn ----

  private static Route spawn(Processes processes, String body) {
    List<ssi.process.core.SpawnSpec> stages;
    try {
      stages = SpawnJson.parse(body);
    } catch (IllegalArgumentException e) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    CompletionStage<Object> done = processes.spawn(stages).thenCompose(o -> {
      if (!o.isOk()) {
        return CompletableFuture.completedFuture((Object) o);
      }
      List<CompletableFuture<Optional<ProcessInfo>>> infos = new ArrayList<>();
      for (long pid : o.value()) {
        infos.add(processes.find(pid).thenApply(f -> f.map(Processes.Found::info))
            .toCompletableFuture());
      }
      return CompletableFuture.allOf(infos.toArray(new CompletableFuture<?>[0])).thenApply(v ->
          (Object) Map.of("pids", o.value(), "processes", infos.stream()
              .map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream)
              .map(ProcessRoutes::json).toList()));
    });
    return onSuccess(done, r -> r instanceof Processes.Outcome<?> o
        ? SsiJson.error(StatusCodes.get(o.status()), o.error())
        : SsiJson.json(StatusCodes.CREATED, r));
  }

  // ---- migrate, kill ----

  private static Route migrate(Processes processes, long pid, String body) {
    JsonNode json;
    try {
      json = SsiJson.MAPPER.readTree(body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "body is not JSON: " + e.getMessage());
    }
    if (!json.path("to").isTextual() || json.path("to").asText().isBlank()) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "body must be {\"to\": \"NODE\"}");
    }
    return onSuccess(processes.migrate(pid, json.path("to").asText()), (MigrationResult r) ->
        r.status() == 200 ? SsiJson.ok(json(r.record()))
            : SsiJson.error(StatusCodes.get(r.status()), r.error()));
  }

  private static Route kill(Processes processes, long pid, String body) {
    String signal = "TERM";
    if (!body.isBlank()) {
      try {
        JsonNode json = SsiJson.MAPPER.readTree(body);
        if (json.has("signal")) {
          signal = json.path("signal").asText();
        }
      } catch (IOException e) {
        return SsiJson.error(StatusCodes.BAD_REQUEST, "body is not JSON: "
            + e.getMessage());
      }
    }
    return onSuccess(processes.kill(pid, signal), o -> o.isOk()
        ? SsiJson.ok(Map.of("pid", pid, "signal", o.value()))
        : SsiJson.error(StatusCodes.get(o.status()), o.error()));
  }

  // ---- tty ----

  private static Route ttyInput(ActorSystem<?> system, Processes processes, long pid,
      byte[] bytes) {
    return withTty(system, processes, pid, tty -> AskPattern.<FdDriver.Command, Reply<Integer>>ask(
            tty, r -> new FdDriver.TtyInput(bytes, r), Duration.ofSeconds(5), system.scheduler())
        .thenApply(r -> (Object) Map.of("accepted", r.value())));
  }

  private static Route ttyOutput(ActorSystem<?> system, Processes processes, long pid,
      Optional<String> fromText) {
    long from = number(fromText.orElse("0"));
    if (from < 0) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "from must be a non-negative number");
    }
    return withTty(system, processes, pid, tty -> AskPattern.<FdDriver.Command,
            FdDriver.TtyView>ask(tty, r -> new FdDriver.TtyOutput(from, r), Duration.ofSeconds(5),
            system.scheduler())
        .thenApply(v -> (Object) Map.of("output", v.output(), "next", v.next(), "closed",
            v.closed())));
  }

  private static Route withTty(ActorSystem<?> system, Processes processes, long pid,
      Function<akka.actor.typed.ActorRef<FdDriver.Command>, CompletionStage<Object>> op) {
    return onSuccess(processes.find(pid), f -> {
      if (f.isEmpty()) {
        return noSuchProcess(pid);
      }
      if (f.get().info().exited()) {
        return SsiJson.ok(Map.of("output", "", "next", 0, "closed", true));
      }
      Optional<ProcessInfo.Fd> tty = f.get().info().fds().stream()
          .filter(d -> d.kind().equals("tty")).findFirst();
      if (tty.isEmpty()) {
        return SsiJson.error(StatusCodes.CONFLICT, "process " + pid + " has no tty");
      }
      return onSuccess(op.apply(tty.get().driver()).exceptionally(e -> null), r -> r == null
          ? SsiJson.error(StatusCodes.GATEWAY_TIMEOUT, "the tty of " + pid + " did not answer")
          : SsiJson.ok(r));
    });
  }

  // ---- JSON ----

  private static Route noSuchProcess(long pid) {
    return SsiJson.error(StatusCodes.NOT_FOUND, "no such process: " + pid);
  }

  static Map<String, Object> json(ProcessInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", p.pid());
    m.put("program", p.program());
    m.put("args", p.args());
    m.put("node", p.node());
    m.put("state", p.state());
    m.put("exitStatus", p.exitStatus());
    m.put("exitReason", p.exitReason());
    m.put("steps", p.steps());
    m.put("migrations", p.migrations());
    m.put("startedAt", Instant.ofEpochMilli(p.startedAtMillis()).toString());
    m.put("memory", p.memory());
    m.put("fds", p.fds().stream().map(f -> {
      Map<String, Object> fd = new LinkedHashMap<>();
      fd.put("fd", f.fd());
      fd.put("kind", f.kind());
      fd.put("driverNode", f.driverNode());
      fd.put("local", f.local());
      fd.put("detail", f.detail());
      if (f.object() >= 0) {
        fd.put("object", f.object());
      }
      return fd;
    }).toList());
    m.put("residual", p.residual().stream().map(r -> Map.of("kind", r.kind(), "what", r.what(),
        "node", r.node(), "messages", r.messages(), "bytes", r.bytes())).toList());
    return m;
  }

  static Map<String, Object> json(MigrationRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("pid", r.pid());
    m.put("program", r.program());
    m.put("from", r.from());
    m.put("to", r.to());
    m.put("state", r.state());
    m.put("startedAt", Instant.ofEpochMilli(r.startedAtMillis()).toString());
    m.put("totalMs", r.totalMs());
    m.put("pieces", r.pieces().stream().map(p -> Map.of("piece", p.piece(), "pauseMs",
        p.pauseMs(), "at", Instant.ofEpochMilli(p.atMillis()).toString())).toList());
    return m;
  }

  private static ServerSentEvent event(MigrationEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("migration", e.migration());
    m.put("pid", e.pid());
    m.put("program", e.program());
    m.put("from", e.from());
    m.put("to", e.to());
    m.put("piece", e.piece() == null ? e.state() : e.piece());
    m.put("pauseMs", e.pauseMs());
    m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
    m.put("state", e.state());
    try {
      return ServerSentEvent.create(SsiJson.MAPPER.writeValueAsString(m), "piece");
    } catch (IOException ex) {
      return ServerSentEvent.create("{}", "piece");
    }
  }

  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

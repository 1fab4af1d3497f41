package ssi.files.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ssi.cluster.http.SsiJson;
import ssi.files.api.Files;
import ssi.files.handle.GlobalFileHandle;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.put;

/**
 * {@code GET/PUT /ssi/handles/{capability}}: a file by {@link Capability}, with the parameters
 * of {@code /ssi/files} ({@code offset}, {@code length}, {@code append}, {@code stat}). The
 * capability is the credential: these routes do not ask for the admin token (minting one, {@code
 * POST /ssi/files/{path}?handle}, does). A capability that does not verify — forged, truncated,
 * altered, made under another secret — gets 403 before anything else is looked at; one whose
 * file was deleted gets 410 (ESTALE). Without {@code ssi.security.secret} every capability route
 * answers 503.
 */
final class HandleRoutes {

  private final ActorSystem<?> system;
  private final Files files;
  private final FileIo io;

  HandleRoutes(ActorSystem<?> system, FileIo io) {
    this.system = system;
    this.files = Files.get(system);
    this.io = io;
  }

  /** The cluster secret ({@code ssi.security.secret}); empty when not set. */
  static String secret(ActorSystem<?> system) {
    return system.settings().config().getString("ssi.security.secret");
  }

  /** The answer when no secret is configured: capabilities cannot be issued nor checked. */
  static Route noSecret() {
    return SsiJson.error(StatusCodes.SERVICE_UNAVAILABLE, "ssi.security.secret is not set "
        + "(set it, the same on every node, e.g. with SSI_SECRET; `ssi up` does)");
  }

  Route route() {
    return path(PathMatchers.segment(), cap -> {
      String secret = secret(system);
      if (secret.isEmpty()) {
        return noSecret();
      }
      Optional<GlobalFileHandle> fh = Capability.verify(secret, cap);
      if (fh.isEmpty()) {
        return SsiJson.error(StatusCodes.FORBIDDEN, "not a valid capability");
      }
      return concat(
          get(() -> parameterOptional("offset", off -> parameterOptional("length", len ->
              parameterOptional("stat", stat -> read(fh.get(), off, len, stat.isPresent()))))),
          put(() -> parameterOptional("offset", off -> parameterOptional("append", app ->
              write(fh.get(), off, app)))));
    });
  }

  private Route read(GlobalFileHandle fh, Optional<String> off, Optional<String> len,
      boolean stat) {
    IoParams.Parsed p = IoParams.parse(off, len, Optional.empty(), io.limit());
    if (p.error() != null) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, p.error());
    }
    if (stat) {
      return onSuccess(files.stat(fh), s -> s.isOk() ? SsiJson.ok(FileIo.stat(s.value()))
          : ErrnoStatus.error(s.errno(), "stat of handle " + fh));
    }
    return io.read(fh, p.params());
  }

  private Route write(GlobalFileHandle fh, Optional<String> off, Optional<String> app) {
    IoParams.Parsed p = IoParams.parse(off, Optional.empty(), app, io.limit());
    if (p.error() != null) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, p.error());
    }
    return io.body(bytes -> onSuccess(io.write(fh, p.params(), bytes), w -> {
      if (!w.isOk()) {
        return ErrnoStatus.error(w.errno(), "write of handle " + fh);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("handle", fh.toString());
      out.putAll(w.value());
      return SsiJson.ok(out);
    }));
  }
}

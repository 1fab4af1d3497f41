package ssi.files.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.DirEntry;
import ssi.cache.store.ObjectKind;
import ssi.cluster.http.AdminToken;
import ssi.cluster.http.SsiJson;
import ssi.files.api.Files;
import ssi.files.handle.GlobalFileHandle;
import ssi.files.namespace.Namespace;

import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.delete;
import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.optionalHeaderValueByName;
import static akka.http.javadsl.server.Directives.parameterOptional;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.put;
import static akka.http.javadsl.server.Directives.reject;

/**
 * {@code /ssi/files/{path}}: the namespace by path. GET reads a file ({@code offset},
 * {@code length}), lists a directory (a path ending in {@code /}, or naming a directory) and with
 * {@code ?stat} answers the stat; PUT (admin token) creates the file and its missing parent
 * directories, then replaces its contents, or writes at {@code ?offset=N}, or appends with
 * {@code ?append=true}; a PUT of a path ending in {@code /} makes the directory and its parents;
 * DELETE (admin token) removes a file or an empty directory; {@code POST ...?handle} (admin
 * token) answers the file's capability. Bad paths and parameters are refused before anything
 * is looked up or created.
 */
final class PathRoutes {

  private final ActorSystem<?> system;
  private final Namespace ns;
  private final Files files;
  private final FileIo io;

  PathRoutes(ActorSystem<?> system, FileIo io) {
    this.system = system;
    this.ns = Namespace.get(system);
    this.files = Files.get(system);
    this.io = io;
  }

  Route route() {
    return optionalHeaderValueByName("Raw-Request-URI", raw -> extractUnmatchedPath(rest -> {
      if (!rest.isEmpty() && !rest.startsWith("/")) {
        return reject(); // "/ssi/filesX": not ours
      }
      if (raw.isPresent() && FilePath.hasDotSegment(raw.get())) {
        // The router sees the path with dot segments already collapsed; refuse them anyway.
        return SsiJson.error(StatusCodes.BAD_REQUEST, "'.' and '..' are not allowed in paths");
      }
      FilePath.Parsed parsed = FilePath.parse(rest);
      if (parsed.error() != null) {
        return SsiJson.error(StatusCodes.BAD_REQUEST, parsed.error());
      }
      FilePath fp = parsed.path();
      return concat(
          get(() -> parameterOptional("offset", off -> parameterOptional("length", len ->
              parameterOptional("stat", stat -> read(fp, off, len, stat.isPresent()))))),
          put(() -> AdminToken.require(system, () -> parameterOptional("offset", off ->
              parameterOptional("append", app -> parameterOptional("length", len ->
                  len.isPresent()
                      ? SsiJson.error(StatusCodes.BAD_REQUEST, "length is for reads")
                      : write(fp, off, app)))))),
          delete(() -> AdminToken.require(system, () -> remove(fp))),
          post(() -> AdminToken.require(system, () -> parameterOptional("handle", h ->
              h.isPresent() ? capability(fp) : SsiJson.error(StatusCodes.BAD_REQUEST,
                  "POST /ssi/files/{path} needs ?handle")))));
    }));
  }

  private Route read(FilePath fp, Optional<String> off, Optional<String> len, boolean stat) {
    IoParams.Parsed p = IoParams.parse(off, len, Optional.empty(), io.limit());
    if (p.error() != null) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, p.error());
    }
    return onSuccess(ns.resolve(fp.text()), e -> {
      if (!e.isOk()) {
        return ErrnoStatus.error(e.errno(), "lookup of " + fp.text());
      }
      GlobalFileHandle fh = Namespace.handle(e.value());
      if (stat) {
        return onSuccess(files.stat(fh), s -> {
          if (!s.isOk()) {
            return ErrnoStatus.error(s.errno(), "stat of " + fp.text());
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("path", fp.text());
          out.putAll(FileIo.stat(s.value()));
          return SsiJson.ok(out);
        });
      }
      boolean isDir = e.value().kind() == ObjectKind.DIRECTORY;
      if (fp.directory() && !isDir) {
        return ErrnoStatus.error(Errno.ENOTDIR, "listing of " + fp.text());
      }
      return isDir ? list(fp, fh) : io.read(fh, p.params());
    });
  }

  private Route list(FilePath fp, GlobalFileHandle dir) {
    return onSuccess(ns.readdir(dir), r -> {
      if (!r.isOk()) {
        return ErrnoStatus.error(r.errno(), "listing of " + fp.text());
      }
      List<Map<String, Object>> entries = r.value().stream().map(PathRoutes::entry).toList();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", fp.text());
      out.put("handle", dir.toString());
      out.put("entries", entries);
      return SsiJson.ok(out);
    });
  }

  private static Map<String, Object> entry(DirEntry d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("kind", d.kind().name());
    m.put("handle", Namespace.handle(d).toString());
    return m;
  }

  private Route write(FilePath fp, Optional<String> off, Optional<String> app) {
    IoParams.Parsed p = IoParams.parse(off, Optional.empty(), app, io.limit());
    if (p.error() != null) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, p.error());
    }
    if (fp.parts().isEmpty()) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "the root directory cannot be written");
    }
    return io.body(bytes -> {
      if (fp.directory()) {
        return bytes.length > 0 || off.isPresent() || app.isPresent()
            ? SsiJson.error(StatusCodes.BAD_REQUEST, "a PUT of a directory (path ending in /) "
                + "takes no body and no parameters")
            : onSuccess(mkdirs(fp), d -> d.isOk()
                ? SsiJson.ok(Map.of("path", fp.text(), "handle", d.value().toString(),
                    "kind", ObjectKind.DIRECTORY.name()))
                : ErrnoStatus.error(d.errno(), "mkdir of " + fp.text()));
      }
      return onSuccess(openOrCreate(fp), o -> !o.isOk()
          ? ErrnoStatus.error(o.errno(), "create of " + fp.text())
          : onSuccess(io.write(o.value().fh(), p.params(), bytes), w -> {
            if (!w.isOk()) {
              return ErrnoStatus.error(w.errno(), "write of " + fp.text());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", fp.text());
            out.put("handle", o.value().fh().toString());
            out.put("created", o.value().created());
            out.putAll(w.value());
            return SsiJson.ok(out);
          }));
    });
  }

  /** A file's handle and whether this request created it. */
  private record Opened(GlobalFileHandle fh, boolean created) {
  }

  /** The file at the path, created (with its missing parent directories) if needed. */
  private CompletionStage<Reply<Opened>> openOrCreate(FilePath fp) {
    return ns.parent(fp.text(), true).thenCompose(par -> {
      if (!par.isOk()) {
        return done(par.errno());
      }
      GlobalFileHandle dir = par.value().dir();
      String name = par.value().name();
      return ns.open(dir, name).thenCompose(o -> {
        if (o.errno() != Errno.ENOENT) {
          return CompletableFuture.completedFuture(o.isOk()
              ? Reply.ok(new Opened(o.value(), false)) : Reply.<Opened>error(o.errno()));
        }
        return ns.create(dir, name).thenCompose(c -> c.isOk()
            ? CompletableFuture.completedFuture(Reply.ok(new Opened(c.value(), true)))
            : c.errno() == Errno.EEXIST // created concurrently: use that one
                ? ns.open(dir, name).thenApply(again -> again.isOk()
                    ? Reply.ok(new Opened(again.value(), false))
                    : Reply.<Opened>error(again.errno()))
                : done(c.errno()));
      });
    });
  }

  /** The directory at the path, made with its missing parents if needed ({@code mkdir -p}). */
  private CompletionStage<Reply<GlobalFileHandle>> mkdirs(FilePath fp) {
    return ns.parent(fp.text(), true).thenCompose(par -> {
      if (!par.isOk()) {
        return done(par.errno());
      }
      GlobalFileHandle dir = par.value().dir();
      String name = par.value().name();
      return ns.mkdir(dir, name).thenCompose(m -> m.errno() != Errno.EEXIST
          ? CompletableFuture.completedFuture(m)
          : ns.lookup(dir, name).thenApply(l -> !l.isOk() ? Reply.<GlobalFileHandle>error(l.errno())
              : l.value().kind() != ObjectKind.DIRECTORY ? Reply.<GlobalFileHandle>error(Errno.EEXIST)
              : Reply.ok(Namespace.handle(l.value()))));
    });
  }

  private Route remove(FilePath fp) {
    if (fp.parts().isEmpty()) {
      return SsiJson.error(StatusCodes.BAD_REQUEST, "the root directory cannot be removed");
    }
    CompletionStage<Reply<Void>> removed = ns.parent(fp.text(), false).thenCompose(par ->
        !par.isOk() ? done(par.errno())
            : ns.lookup(par.value().dir(), par.value().name()).thenCompose(e -> !e.isOk()
                ? done(e.errno())
                : fp.directory() && e.value().kind() != ObjectKind.DIRECTORY
                    ? done(Errno.ENOTDIR)
                    : e.value().kind() == ObjectKind.DIRECTORY
                        ? ns.rmdir(par.value().dir(), par.value().name())
                        : ns.unlink(par.value().dir(), par.value().name())));
    return onSuccess(removed, r -> r.isOk()
        ? SsiJson.ok(Map.of("path", fp.text(), "deleted", true))
        : ErrnoStatus.error(r.errno(), "delete of " + fp.text()));
  }

  private Route capability(FilePath fp) {
    String secret = HandleRoutes.secret(system);
    if (secret.isEmpty()) {
      return HandleRoutes.noSecret();
    }
    return onSuccess(ns.resolve(fp.text()), e -> {
      if (!e.isOk()) {
        return ErrnoStatus.error(e.errno(), "lookup of " + fp.text());
      }
      if (e.value().kind() == ObjectKind.DIRECTORY) {
        return ErrnoStatus.error(Errno.EISDIR, "capability of " + fp.text());
      }
      GlobalFileHandle fh = Namespace.handle(e.value());
      String cap = Capability.issue(secret, fh);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", fp.text());
      out.put("handle", fh.toString());
      out.put("capability", cap);
      out.put("url", "/ssi/handles/" + cap);
      return SsiJson.ok(out);
    });
  }

  private static <T> CompletionStage<Reply<T>> done(Errno e) {
    return CompletableFuture.completedFuture(Reply.error(e));
  }
}

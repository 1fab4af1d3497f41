package ssi.files.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import ssi.actors.lwkt.Errno;
import ssi.actors.lwkt.Reply;
import ssi.cache.store.ObjectKind;
import ssi.cluster.http.SsiJson;
import ssi.files.FilesSettings;
import ssi.files.api.Files;
import ssi.files.handle.FileStat;
import ssi.files.handle.GlobalFileHandle;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractRequestEntity;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.withSizeLimit;

/**
 * Reads and writes of one file for the routes, by path or by capability alike: the body limit
 * ({@code ssi.http.max-body}, and never more than {@code ssi.files.max-io-bytes}), a read's
 * default length (the rest of the file), and the three kinds of write.
 */
final class FileIo {

  private final Files files;
  private final long limit;

  FileIo(ActorSystem<?> system) {
    this.files = Files.get(system);
    long maxBody = system.settings().config().getBytes("ssi.http.max-body");
    this.limit = Math.min(maxBody, FilesSettings.from(system.settings().config()).maxIoBytes());
  }

  /** The largest body or read, in bytes. */
  long limit() {
    return limit;
  }

  /** The bytes at the offset: {@code length} of them, or the rest of the file. */
  Route read(GlobalFileHandle fh, IoParams p) {
    long off = p.offsetOr0();
    if (p.length() != null) {
      return readN(fh, off, p.length().intValue());
    }
    return onSuccess(files.stat(fh), s -> {
      if (!s.isOk()) {
        return ErrnoStatus.error(s.errno(), "stat");
      }
      if (s.value().kind() == ObjectKind.DIRECTORY) {
        return ErrnoStatus.error(Errno.EISDIR, "read");
      }
      long rest = Math.max(0, s.value().length() - off);
      if (rest > limit) {
        return SsiJson.error(StatusCodes.PAYLOAD_TOO_LARGE, "the file has " + rest
            + " bytes from offset " + off + ", over the limit of " + limit
            + "; read it in parts with offset= and length=");
      }
      return readN(fh, off, (int) rest);
    });
  }

  private Route readN(GlobalFileHandle fh, long off, int n) {
    return onSuccess(files.read(fh, off, n), r -> r.isOk()
        ? complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, r.value())))
        : ErrnoStatus.error(r.errno(), "read"));
  }

  /** The request body, refused with a JSON 413 past the limit (before it is all read). */
  Route body(Function<byte[], Route> inner) {
    return extractRequestEntity(e -> {
      if (e.getContentLengthOption().isPresent()
          && e.getContentLengthOption().getAsLong() > limit) {
        return SsiJson.error(StatusCodes.PAYLOAD_TOO_LARGE, "body over " + limit + " bytes");
      }
      return withSizeLimit(limit, () -> entity(Unmarshaller.entityToByteArray(), inner::apply));
    });
  }

  /**
   * Writes {@code body} as {@code p} says; answers what happened: {@code offset}, {@code
   * written} and {@code length} (the file's length right after this write).
   */
  CompletionStage<Reply<Map<String, Object>>> write(GlobalFileHandle fh, IoParams p,
      byte[] body) {
    return switch (p.writeMode()) {
      case REPLACE -> files.truncate(fh, 0).thenCompose(t -> !t.isOk() || body.length == 0
          ? CompletableFuture.completedFuture(result(t, 0, body.length))
          : files.write(fh, 0, body).thenApply(w -> result(w, 0, body.length)));
      case AT -> body.length == 0
          ? files.stat(fh).thenApply(s -> result(s, p.offsetOr0(), 0))
          : files.write(fh, p.offsetOr0(), body).thenApply(w -> result(w, p.offsetOr0(),
              body.length));
      case APPEND -> files.append(fh, body).thenApply(a -> {
        if (!a.isOk()) {
          return Reply.error(a.errno());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("offset", a.value());
        out.put("written", body.length);
        out.put("length", a.value() + body.length);
        return Reply.ok(out);
      });
    };
  }

  private static Reply<Map<String, Object>> result(Reply<FileStat> r, long offset, int written) {
    if (!r.isOk()) {
      return Reply.error(r.errno());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("offset", offset);
    out.put("written", written);
    out.put("length", r.value().length());
    return Reply.ok(out);
  }

  /** The JSON of a stat. */
  static Map<String, Object> stat(FileStat s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("handle", s.handle().toString());
    out.put("objectId", s.objectId());
    out.put("generation", s.generation());
    out.put("kind", s.kind().name());
    out.put("length", s.length());
    out.put("mtime", java.time.Instant.EPOCH.plus(s.mtimeMicros(),
        java.time.temporal.ChronoUnit.MICROS).toString());
    return out;
  }
}

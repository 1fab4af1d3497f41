package ssi.files.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.util.LinkedHashMap;
import java.util.Map;
import ssi.actors.lwkt.Errno;
import ssi.cluster.http.SsiJson;

/**
 * How the file routes answer an errno: ENOENT 404; EEXIST and ENOTEMPTY 409; ENOTDIR, EISDIR and
 * EINVAL 400; ESTALE 410 (the object the handle named is gone for good); EACCES 403; ETIMEDOUT
 * 504; EIO, EHOSTDOWN and EAGAIN 503 (try again); ENOSPC 507; anything else 500. The body is the
 * project's JSON error with the errno added: {@code {"error": "...", "status": 404, "errno":
 * "ENOENT"}}.
 */
final class ErrnoStatus {

  private ErrnoStatus() {
  }

  /** The HTTP status for {@code errno}. */
  static StatusCode of(Errno errno) {
    return switch (errno) {
      case ENOENT -> StatusCodes.NOT_FOUND;
      case EEXIST, ENOTEMPTY -> StatusCodes.CONFLICT;
      case ENOTDIR, EISDIR, EINVAL -> StatusCodes.BAD_REQUEST;
      case ESTALE -> StatusCodes.GONE;
      case EACCES -> StatusCodes.FORBIDDEN;
      case ETIMEDOUT -> StatusCodes.GATEWAY_TIMEOUT;
      case EIO, EHOSTDOWN, EAGAIN, EBUSY -> StatusCodes.SERVICE_UNAVAILABLE;
      case ENOSPC -> StatusCodes.INSUFFICIENT_STORAGE;
      default -> StatusCodes.INTERNAL_SERVER_ERROR;
    };
  }

  /** The JSON error for {@code errno}, saying what failed. */
  static Route error(Errno errno, String what) {
    StatusCode status = of(errno);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", what + ": " + errno);
    body.put("status", status.intValue());
    body.put("errno", errno.name());
    return SsiJson.json(status, body);
  }
}

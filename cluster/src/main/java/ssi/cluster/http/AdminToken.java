package ssi.cluster.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpCredentials;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

import static akka.http.javadsl.server.Directives.extractCredentials;

/**
 * Guards mutating routes with the bearer token {@code ssi.security.admin-token}: when the token
 * is set, a request without {@code Authorization: Bearer <token>} gets a JSON 401 and changes
 * nothing; when it is empty (the default, management on 127.0.0.1 only) every request passes.
 */
public final class AdminToken {

  private AdminToken() {
  }

  /** {@code inner} when the request carries the admin token (or none is configured). */
  public static Route require(ActorSystem<?> system, Supplier<Route> inner) {
    String token = system.settings().config().getString("ssi.security.admin-token");
    if (token.isEmpty()) {
      return inner.get();
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return extractCredentials((Optional<HttpCredentials> creds) -> {
      boolean ok = creds.isPresent() && creds.get().scheme().equalsIgnoreCase("bearer")
          && MessageDigest.isEqual(expected, creds.get().token().getBytes(StandardCharsets.UTF_8));
      return ok ? inner.get()
          : SsiJson.error(StatusCodes.UNAUTHORIZED, "this route needs the admin token "
              + "(Authorization: Bearer <ssi.security.admin-token>)");
    });
  }
}

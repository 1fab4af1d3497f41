package ssi.cluster.http;

import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.marshalling.Marshaller;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Map;

import static akka.http.javadsl.server.Directives.complete;

/**
 * JSON for the {@code /ssi/...} routes: one shared Jackson mapper (records supported) and the
 * project's error body, {@code {"error": "...", "status": 404}}, used for every 4xx and 5xx.
 */
public final class SsiJson {

  /** The shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private static final Marshaller<Object, RequestEntity> MARSHALLER = Jackson.marshaller(MAPPER);

  private SsiJson() {
  }

  /** Completes with {@code value} as JSON and status 200. */
  public static Route ok(Object value) {
    return complete(StatusCodes.OK, value, MARSHALLER);
  }

  /** Completes with {@code value} as JSON and the given status. */
  public static Route json(StatusCode status, Object value) {
    return complete(status, value, MARSHALLER);
  }

  /** Completes with the project's JSON error body. */
  public static Route error(StatusCode status, String message) {
    return complete(status, errorBody(status, message), MARSHALLER);
  }

  /** The JSON error body as a value (for code that builds responses itself). */
  public static Map<String, Object> errorBody(StatusCode status, String message) {
    return Map.of("error", message, "status", status.intValue());
  }

  /** The JSON error body as an HTTP entity. */
  public static HttpEntity.Strict errorEntity(StatusCode status, String message) {
    try {
      return akka.http.javadsl.model.HttpEntities.create(
          akka.http.javadsl.model.ContentTypes.APPLICATION_JSON,
          MAPPER.writeValueAsBytes(errorBody(status, message)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("error body is always serializable", e);
    }
  }
}

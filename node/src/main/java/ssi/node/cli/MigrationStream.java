package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import ssi.cluster.http.SsiJson;

/**
 * Follows {@code GET /ssi/migrations/stream} and hands each {@code piece} event's JSON to a
 * {@link Listener}, shared by {@code ssi watch} and the demo's live timeline. When the node goes
 * away (connection refused or the stream ends) it says so once and reconnects every
 * {@code retry}, asking {@link Endpoint} again, so a default node can be replaced by another live
 * one; a refusal (a non-200 answer) ends it. {@link #stop()} ends it from another thread.
 */
final class MigrationStream {

  /** Where to connect; asked again before every reconnection. */
  interface Endpoint {
    String baseUrl() throws IOException;
  }

  /** What the stream reports. */
  interface Listener {
    /** One piece event; false to stop following. */
    boolean piece(JsonNode event);

    /** A notice about the connection (lost, reconnected), one line. */
    void notice(String line);

    /** The stream from {@code base} is open (also after each reconnection). */
    default void connected(String base) {
    }
  }

  private final HttpClient http;
  private final Endpoint endpoint;
  private final Duration retry;
  private volatile boolean stopped;
  private volatile Stream<String> current;

  MigrationStream(HttpClient http, Endpoint endpoint, Duration retry) {
    this.http = http;
    this.endpoint = endpoint;
    this.retry = retry;
  }

  /**
   * Follows the stream until the listener returns false or {@link #stop()}; reconnects when the
   * node goes away. A {@link RequestRefused} when the node answers the stream with an error.
   */
  void follow(Listener listener) throws RequestRefused {
    String lost = null; // why we are disconnected, once the listener has been told
    boolean connected = false;
    while (!stopped) {
      String base = null;
      String why;
      try {
        base = endpoint.baseUrl();
        HttpResponse<Stream<String>> response = http.send(
            HttpRequest.newBuilder(URI.create(base + "/ssi/migrations/stream"))
                .header("Accept", "text/event-stream").GET().build(),
            HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
          String body;
          try (Stream<String> lines = response.body()) {
            body = String.join("\n", lines.limit(20).toList());
          }
          throw new ManagementClient(Optional.empty()).refusal(response.statusCode(), body);
        }
        if (lost != null) {
          listener.notice("reconnected to " + base);
          lost = null;
        }
        connected = true;
        listener.connected(base);
        if (!read(response.body(), listener)) {
          return;
        }
        why = "the stream from " + base + " ended";
      } catch (IOException | UncheckedIOException e) {
        why = base == null ? e.getMessage()
            : (connected ? "lost the stream from " : "cannot connect to ") + base + " ("
                + reason(e) + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (stopped) {
        return;
      }
      if (lost == null) {
        listener.notice(why + "; reconnecting every " + retry.toMillis() + " ms ...");
      }
      lost = why;
      LockSupport.parkNanos(retry.toNanos());
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /** Reads events until the stream ends (true) or the listener has had enough (false). */
  private boolean read(Stream<String> lines, Listener listener) {
    current = lines;
    ServerSentEvents parser = new ServerSentEvents();
    try (lines) {
      Iterator<String> it = lines.iterator();
      while (!stopped && it.hasNext()) {
        Optional<ServerSentEvents.Event> event = parser.line(it.next());
        if (event.isPresent() && event.get().type().equals("piece")) {
          JsonNode piece;
          try {
            piece = SsiJson.MAPPER.readTree(event.get().data());
          } catch (IOException e) {
            listener.notice("ignored a piece event that is not JSON: " + event.get().data());
            continue;
          }
          if (!listener.piece(piece)) {
            return false;
          }
        }
      }
    } finally {
      current = null;
    }
    return !stopped;
  }

  /** Ends {@link #follow} from another thread: closes the stream being read. */
  void stop() {
    stopped = true;
    Stream<String> lines = current;
    if (lines != null) {
      lines.close();
    }
  }

  private static String reason(Exception e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    return t instanceof IOException io ? ClusterCommand.describe(io) : String.valueOf(t);
  }
}

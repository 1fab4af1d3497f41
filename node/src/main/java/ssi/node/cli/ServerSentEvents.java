package ssi.node.cli;

import java.util.Optional;

/**
 * A line-by-line parser of a {@code text/event-stream} (the WHATWG server-sent events format):
 * {@code event:} and {@code data:} lines accumulate, a blank line dispatches the event, lines
 * starting with {@code :} are comments (keep-alives). Several {@code data:} lines join with
 * {@code \n}; an event without {@code event:} is a {@code message}. Not thread-safe: one per
 * stream.
 */
final class ServerSentEvents {

  /** One dispatched event. */
  record Event(String type, String data, String id) {
  }

  private String type = "";
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String id = "";

  /** Feeds one line (without its line terminator); the event when the line completes one. */
  Optional<Event> line(String line) {
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> id = value;
      default -> {
        // "retry" and unknown fields: ignored, as the format says
      }
    }
    return Optional.empty();
  }

  private Optional<Event> dispatch() {
    Optional<Event> event = hasData
        ? Optional.of(new Event(type.isEmpty() ? "message" : type, data.toString(), id))
        : Optional.empty();
    type = "";
    data.setLength(0);
    hasData = false;
    return event;
  }
}

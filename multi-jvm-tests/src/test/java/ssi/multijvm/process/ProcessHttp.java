package ssi.multijvm.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ssi.multijvm.harness.Await;
import ssi.multijvm.harness.NodeProcess;

/**
 * The process routes as the tests drive them: spawn, migrate, kill, info, and reading what a
 * process wrote to a cluster file (through {@code /ssi/objects/{id}/data}, the object id shown by
 * the process's file descriptor). Migrations may take seconds, so timeouts are generous.
 */
final class ProcessHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** A response with its status and JSON body. */
  record Answer(int status, JsonNode json, String text) {
  }

  Answer send(String method, String url, String body, Duration timeout) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String text = new String(r.body(), StandardCharsets.UTF_8);
      JsonNode json;
      try {
        json = JSON.readTree(text);
      } catch (IOException notJson) {
        json = null;
      }
      return new Answer(r.statusCode(), json, text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Spawns (one process or a pipeline); answers the pids in order. */
  List<Long> spawn(NodeProcess via, String body) throws IOException {
    Answer a = send("POST", via.baseUrl() + "/ssi/processes", body, Duration.ofSeconds(30));
    if (a.status() != 201) {
      throw new AssertionError("spawn " + body + ": " + a.status() + " " + a.text());
    }
    List<Long> pids = new ArrayList<>();
    a.json().path("pids").forEach(p -> pids.add(p.asLong()));
    return pids;
  }

  /** Asks for a migration and answers the route's answer (the record when 200). */
  Answer migrate(NodeProcess via, long pid, String to) throws IOException {
    return send("POST", via.baseUrl() + "/ssi/processes/" + pid + "/migrate",
        "{\"to\":\"" + to + "\"}", Duration.ofSeconds(90));
  }

  /** A migration that must complete. */
  JsonNode migrated(NodeProcess via, long pid, String to) throws IOException {
    Answer a = migrate(via, pid, to);
    if (a.status() != 200 || !"complete".equals(a.json().path("state").asText())) {
      throw new AssertionError("migrate " + pid + " to " + to + ": " + a.status() + " "
          + a.text());
    }
    return a.json();
  }

  JsonNode info(NodeProcess via, long pid) throws IOException {
    Answer a = send("GET", via.baseUrl() + "/ssi/processes/" + pid, null, Duration.ofSeconds(20));
    if (a.status() != 200) {
      throw new AssertionError("process " + pid + ": " + a.status() + " " + a.text());
    }
    return a.json();
  }

  /** Waits until {@code pid} has exited and answers its last view. */
  JsonNode awaitExit(NodeProcess via, long pid, Duration timeout) {
    JsonNode[] last = new JsonNode[1];
    Await.until(timeout, "process " + pid + " exits", () -> {
      last[0] = info(via, pid);
      if (!"exited".equals(last[0].path("state").asText())) {
        throw new AssertionError("state " + last[0].path("state").asText() + ": " + last[0]);
      }
    });
    return last[0];
  }

  /** The object id of the file behind descriptor {@code fd} in a process view. */
  static long fileObject(JsonNode process, int fd) {
    for (JsonNode f : process.path("fds")) {
      if (f.path("fd").asInt() == fd && f.has("object")) {
        return f.path("object").asLong();
      }
    }
    throw new AssertionError("no file on fd " + fd + ": " + process);
  }

  /** {@code length} bytes of object {@code obj} read through {@code via}. */
  byte[] read(NodeProcess via, long obj, int length) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(via.baseUrl() + "/ssi/objects/"
        + obj + "/data?offset=0&length=" + length)).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new AssertionError("read " + obj + ": " + r.statusCode() + " "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The text {@code 1\n2\n...n\n}. */
  static String numbered(long n) {
    StringBuilder sb = new StringBuilder();
    for (long i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return sb.toString();
  }

  /**
   * Checks {@code got} is exactly {@code 1\n..n\n}; on failure names the first line that is
   * missing, duplicated or out of order, which is what a lossy migration would show.
   */
  static void assertNumbered(String got, long n, String what) {
    String want = numbered(n);
    if (got.equals(want)) {
      return;
    }
    String[] lines = got.split("\n", -1);
    long expect = 1;
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      if (!line.equals(Long.toString(expect))) {
        throw new AssertionError(what + ": line " + expect + " expected, got '" + line
            + "' (" + got.length() + " of " + want.length() + " bytes)");
      }
      expect++;
    }
    throw new AssertionError(what + ": " + (expect - 1) + " lines of " + n + " ("
        + got.length() + " of " + want.length() + " bytes)");
  }
}

package ssi.node.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * A stand-in management server for the {@code ssi} command's tests: a JDK {@code HttpServer} on
 * 127.0.0.1:0 that answers canned contract JSON per {@code METHOD /path} (query ignored), records
 * every request, and serves {@code /ssi/migrations/stream} from a queue of chunks ({@link #END}
 * closes one connection, so a test can make the client reconnect).
 */
final class CannedNode implements AutoCloseable {

  /** A request as the server saw it. */
  record Request(String method, String uri, String body, String authorization) {
  }

  /** One canned answer. */
  record Answer(int status, String body) {
  }

  /** Computes an answer from the request. */
  interface Route {
    Answer answer(Request request);
  }

  /** A chunk that ends the current stream connection. */
  static final String END = "\u0000end";

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final BlockingQueue<String> stream = new LinkedBlockingQueue<>();

  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpServer server;
  private volatile boolean closed;

  CannedNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} with {@code status} and {@code json}. */
  CannedNode on(String method, String path, int status, String json) {
    return on(method, path, r -> new Answer(status, json));
  }

  CannedNode on(String method, String path, Route route) {
    routes.put(method + " " + path, route);
    return this;
  }

  /** Queues one SSE {@code piece} event with {@code json} as its data. */
  void piece(String json) {
    stream.add("event: piece\ndata: " + json + "\n\n");
  }

  /** The requests with this method and path (query ignored). */
  List<Request> requests(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method)
        && r.uri().split("\\?")[0].equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Request request = new Request(exchange.getRequestMethod(),
        exchange.getRequestURI().toString(), body,
        exchange.getRequestHeaders().getFirst("Authorization"));
    requests.add(request);
    String path = exchange.getRequestURI().getPath();
    if (request.method().equals("GET") && path.equals("/ssi/migrations/stream")) {
      serveStream(exchange);
      return;
    }
    Route route = routes.get(request.method() + " " + path);
    Answer answer = route != null ? route.answer(request)
        : new Answer(404, "{\"error\":\"no such route: " + path + "\",\"status\":404}");
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private void serveStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
      os.flush();
      while (!closed) {
        String chunk = stream.poll(50, TimeUnit.MILLISECONDS);
        if (chunk == null) {
          continue;
        }
        if (chunk.equals(END)) {
          return;
        }
        os.write(chunk.getBytes(StandardCharsets.UTF_8));
        os.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }

  /** What a command printed and returned. */
  record Run(int exit, String out, String err) {
  }

  /** Runs {@code command} with {@code args} and captures its output and exit code. */
  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Ssi.usageExits64(new CommandLine(command)).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}

package ssi.bench.mesh;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The baseline of {@code bulk-vs-tcp}: a plain Java socket stream over loopback to a second JVM
 * ({@link TcpSink}, started here from the class path entry this class came from, and always
 * killed on {@link #close()}). A round writes an 8-byte length and that many bytes in writes of
 * {@code chunkBytes}, then waits for the sink's 8-byte acknowledgement; bytes count once
 * acknowledged, as the mesh's count once replied.
 */
final class TcpStream implements AutoCloseable {

  /** A transfer's outcome. */
  record Result(long bytes, long nanos, long rounds) {

    double bytesPerSecond() {
      return bytes * 1e9 / nanos;
    }
  }

  private static final String SINK_HEAP = "-Xmx64m";
  private static final long KILL_WAIT_SECONDS = 10;

  private final Process sink;
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final byte[] chunk;

  private TcpStream(Process sink, int port, int chunkBytes) throws IOException {
    this.sink = sink;
    this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    OutputStream raw = socket.getOutputStream();
    this.out = new DataOutputStream(raw);
    this.in = new DataInputStream(socket.getInputStream());
    this.chunk = new byte[chunkBytes];
    for (int i = 0; i < chunkBytes; i++) {
      chunk[i] = (byte) (i * 31 + 7);
    }
  }

  /** Starts the sink JVM and connects to it; writes go out in {@code chunkBytes} pieces. */
  static TcpStream start(int chunkBytes) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(javaCommand(), SINK_HEAP, "-cp",
        ownClassPathEntry(), TcpSink.class.getName()))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try {
      BufferedReader lines = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      if (first == null || !first.startsWith(TcpSink.PORT_PREFIX)) {
        throw new IOException("the TCP sink JVM did not start (it said " + first + ")");
      }
      int port = Integer.parseInt(first.substring(TcpSink.PORT_PREFIX.length()).trim());
      return new TcpStream(p, port, chunkBytes);
    } catch (IOException | RuntimeException e) {
      kill(p);
      throw e;
    }
  }

  /** Streams rounds of {@code roundBytes} while {@code keepGoing} says so (at least one). */
  Result run(long roundBytes, BooleanSupplier keepGoing) throws IOException {
    long bytes = 0;
    long rounds = 0;
    long start = System.nanoTime();
    do {
      out.writeLong(roundBytes);
      long left = roundBytes;
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.flush();
      long acked = in.readLong();
      if (acked != roundBytes) {
        throw new IOException("the sink acknowledged " + acked + " bytes of " + roundBytes);
      }
      bytes += acked;
      rounds++;
    } while (keepGoing.getAsBoolean());
    return new Result(bytes, System.nanoTime() - start, rounds);
  }

  /** Whether the sink JVM still runs. */
  boolean sinkAlive() {
    return sink.isAlive();
  }

  /** Closes the connection and kills the sink JVM, waiting for it to go. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // the sink is killed below either way
    }
    kill(sink);
  }

  private static void kill(Process p) {
    try {
      p.getOutputStream().close(); // the sink's watchdog exits on this alone
    } catch (IOException e) {
      // destroyed below
    }
    p.destroyForcibly();
    try {
      p.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The jar or directory this class was loaded from (benchmarks.jar, or target/classes). */
  private static String ownClassPathEntry() throws IOException {
    try {
      return Path.of(TcpSink.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IOException("cannot find the class path entry of " + TcpSink.class.getName(), e);
    }
  }
}

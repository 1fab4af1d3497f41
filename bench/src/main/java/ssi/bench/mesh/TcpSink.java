package ssi.bench.mesh;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The other end of the TCP baseline, run in its own JVM by {@link TcpStream}: listens on a free
 * loopback port (printed as {@code PORT <n>} on standard output), takes one connection, and for
 * each round reads an 8-byte length then that many bytes, which it discards, and answers with the
 * 8-byte count. It exits when the connection ends or when its standard input closes, so it never
 * outlives the benchmark that started it.
 *
 * <p>Only JDK classes: {@code java -cp bench/target/benchmarks.jar ssi.bench.mesh.TcpSink}.
 */
public final class TcpSink {

  static final String PORT_PREFIX = "PORT ";
  static final int BUFFER_BYTES = 64 * 1024;

  private TcpSink() {
  }

  /** Runs the sink; no arguments. */
  public static void main(String[] args) throws IOException {
    Thread watchdog = new Thread(TcpSink::exitWhenStdinCloses, "tcp-sink-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(PORT_PREFIX + server.getLocalPort());
      System.out.flush();
      try (Socket s = server.accept()) {
        s.setTcpNoDelay(true);
        sink(s);
      }
    }
    System.exit(0);
  }

  private static void sink(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(),
        BUFFER_BYTES));
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    byte[] buffer = new byte[BUFFER_BYTES];
    while (true) {
      long n;
      try {
        n = in.readLong();
      } catch (EOFException e) {
        return;
      }
      long left = n;
      while (left > 0) {
        int got = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (got < 0) {
          throw new EOFException("the stream ended " + left + " bytes before the round's end");
        }
        left -= got;
      }
      out.writeLong(n);
      out.flush();
    }
  }

  private static void exitWhenStdinCloses() {
    try {
      InputStream in = System.in;
      while (in.read() >= 0) {
        // nothing is ever sent; only the end matters
      }
    } catch (IOException e) {
      // the parent is gone either way
    }
    System.exit(0);
  }
}

package ssi.multijvm.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;
import ssi.multijvm.harness.NodeProcess;

/**
 * Byte-level HTTP to the nodes' {@code /ssi/files} and {@code /ssi/handles} routes, and the
 * 64 KiB test record: {@code sequence (8 bytes) | writer (8) | CRC32 of the rest (8) | bytes
 * derived from writer and sequence}. A read that mixes two writes fails the CRC.
 */
final class FileHttp {

  static final int RECORD = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** A status and body. */
  record Res(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  Res send(NodeProcess via, String method, String pathAndQuery, byte[] body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(via.baseUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Res(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The body of a request that must answer 200. */
  byte[] ok(NodeProcess via, String method, String pathAndQuery, byte[] body) throws IOException {
    Res r = send(via, method, pathAndQuery, body);
    if (r.status() != 200) {
      throw new IOException(method + " " + pathAndQuery + " via " + via.name() + " answered "
          + r.status() + ": " + r.text());
    }
    return r.body();
  }

  /** The record {@code seq} of {@code writer}. */
  static byte[] record(long writer, long seq) {
    byte[] r = new byte[RECORD];
    new Random(writer * 1_000_003L + seq).nextBytes(r);
    ByteBuffer.wrap(r).putLong(seq).putLong(writer);
    ByteBuffer.wrap(r).putLong(16, crc(r));
    return r;
  }

  /** Whether {@code r} (64 KiB at {@code off}) is one whole record. */
  static boolean whole(byte[] r, int off) {
    CRC32 c = new CRC32();
    c.update(r, off, 16);
    c.update(r, off + 24, RECORD - 24);
    return ByteBuffer.wrap(r).getLong(off + 16) == c.getValue();
  }

  /** "writer/seq" of the record at {@code off}. */
  static String id(byte[] r, int off) {
    ByteBuffer b = ByteBuffer.wrap(r);
    return b.getLong(off + 8) + "/" + b.getLong(off);
  }

  private static long crc(byte[] r) {
    CRC32 c = new CRC32();
    c.update(r, 0, 16);
    c.update(r, 24, RECORD - 24);
    return c.getValue();
  }
}

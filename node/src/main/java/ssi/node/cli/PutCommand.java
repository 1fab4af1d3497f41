package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi put LOCAL PATH}: copies a local file (or standard input, {@code -}) into the
 * cluster, creating the file and its parent directories; replaces the contents, or appends
 * with {@code --append}. Large files go in several writes, so a concurrent reader may see a
 * prefix of the new contents (each write by itself is atomic).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = "Copy a local file (- for standard input) to a cluster path, creating parent "
        + "directories (exit 1 if the node refuses, 2 if no node answers).")
final class PutCommand implements Callable<Integer> {

  @Mixin
  NodeOptions options;

  @Option(names = "--append", description = "append instead of replacing the contents")
  boolean append;

  @Parameters(index = "0", paramLabel = "LOCAL", description = "local file, or - for stdin")
  String local;

  @Parameters(index = "1", paramLabel = "PATH", description = "path in the cluster")
  String path;

  @Override
  public Integer call() {
    InputStream in;
    try {
      in = local.equals("-") ? System.in : Files.newInputStream(Path.of(local));
    } catch (IOException e) {
      System.err.println("ssi put: cannot read " + local + ": " + e);
      return 1;
    }
    try (in) {
      FilesClient client = options.client();
      long written = 0;
      JsonNode last = null;
      boolean first = true;
      while (true) {
        byte[] chunk = in.readNBytes(FilesClient.CHUNK);
        if (chunk.length == 0 && !first) {
          break;
        }
        String query = append ? "append=true" : first ? "" : "offset=" + written;
        last = client.write(path, query, chunk);
        written += chunk.length;
        first = false;
        if (chunk.length < FilesClient.CHUNK) {
          break;
        }
      }
      System.out.println("wrote " + written + " bytes to " + last.path("path").asText()
          + " (handle " + last.path("handle").asText() + ", length "
          + last.path("length").asLong() + ") via " + client.node());
      return 0;
    } catch (IOException e) {
      System.err.println("ssi put: " + local + " -> " + path + ": " + e.getMessage());
      return NodeOptions.exitCode(e);
    }
  }
}

package ssi.node.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ssi cat PATH...}: the bytes of cluster files, to standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true,
    description = "Write cluster files to standard output, in " + FilesClient.CHUNK
        + "-byte reads (exit 1 if the node refuses one, 2 if no node answers).")
final class CatCommand implements Callable<Integer> {

  @Mixin
  NodeOptions options;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "paths in the cluster")
  List<String> paths;

  @Override
  public Integer call() {
    FilesClient client;
    try {
      client = options.client();
    } catch (IOException e) {
      System.err.println("ssi cat: " + e.getMessage());
      return NodeOptions.exitCode(e);
    }
    int status = 0;
    OutputStream out = System.out;
    for (String path : paths) {
      try {
        long offset = 0;
        while (true) {
          byte[] part = client.read(path, offset, FilesClient.CHUNK);
          out.write(part);
          offset += part.length;
          if (part.length < FilesClient.CHUNK) {
            break;
          }
        }
        out.flush();
      } catch (IOException e) {
        System.err.println("ssi cat: " + path + ": " + e.getMessage());
        status = Math.max(status, NodeOptions.exitCode(e));
      }
    }
    return status;
  }
}

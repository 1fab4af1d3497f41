package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ssi stat PATH}: kind, length, mtime and global handle of a file or directory. */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the kind, length, mtime and global handle of a cluster path "
        + "(exit 1 if the node refuses, 2 if no node answers).")
final class StatCommand implements Callable<Integer> {

  @Mixin
  NodeOptions options;

  @Parameters(paramLabel = "PATH", description = "path in the cluster, e.g. /docs/readme")
  String path;

  @Override
  public Integer call() {
    try {
      JsonNode s = options.client().stat(path);
      System.out.printf("path:   %s%nkind:   %s%nlength: %d%nmtime:  %s%nhandle: %s%n",
          s.path("path").asText(), s.path("kind").asText(), s.path("length").asLong(),
          s.path("mtime").asText(), s.path("handle").asText());
      return 0;
    } catch (IOException e) {
      System.err.println("ssi stat: " + path + ": " + e.getMessage());
      return NodeOptions.exitCode(e);
    }
  }
}

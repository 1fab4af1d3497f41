package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssi ls [-l] [PATH]}: the entries of a cluster directory (directories end in /). */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List a directory of the cluster file system; a file lists as itself "
        + "(exit 1 if the node refuses, 2 if no node answers).")
final class LsCommand implements Callable<Integer> {

  @Mixin
  NodeOptions options;

  @Option(names = "-l", description = "long format: kind and global handle")
  boolean longFormat;

  @Parameters(paramLabel = "PATH", defaultValue = "/", description = "default: /")
  String path;

  @Override
  public Integer call() {
    try {
      FilesClient client = options.client();
      JsonNode stat = client.stat(path);
      if (!stat.path("kind").asText().equals("DIRECTORY")) {
        print(stat.path("path").asText(), "FILE", stat.path("handle").asText());
        return 0;
      }
      for (JsonNode e : client.list(path).path("entries")) {
        print(e.path("name").asText(), e.path("kind").asText(), e.path("handle").asText());
      }
      return 0;
    } catch (IOException e) {
      System.err.println("ssi ls: " + path + ": " + e.getMessage());
      return NodeOptions.exitCode(e);
    }
  }

  private void print(String name, String kind, String handle) {
    String shown = kind.equals("DIRECTORY") ? name + "/" : name;
    if (longFormat) {
      System.out.printf("%-9s %-24s %s%n", kind, handle, shown);
    } else {
      System.out.println(shown);
    }
  }
}

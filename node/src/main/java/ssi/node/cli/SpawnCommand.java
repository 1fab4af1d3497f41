package ssi.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ssi spawn PROGRAM [ARGS...]} or {@code ssi spawn --pipeline 'yes 1000 | cat'}: starts
 * processes through {@code POST /ssi/processes} and prints their pids (space-separated, in
 * pipeline order), so scripts can write {@code pid=$(bin/ssi spawn counter ...)}.
 */
@Command(name = "spawn", mixinStandardHelpOptions = true,
    description = {"Start a process (or a pipeline) in the cluster and print its pid(s).",
        "Examples:",
        "  ssi spawn counter /c.log 300 100 --on node-1 --stdout /c.log --append",
        "  ssi spawn --pipeline 'yes 1000 | cat' --on node-2,node-3 --stdout /p.log"})
final class SpawnCommand extends ClusterCommand {

  @Parameters(paramLabel = "PROGRAM [ARGS...]", arity = "0..*",
      description = "the program and its arguments (not with --pipeline)")
  List<String> argv = new ArrayList<>();

  @Option(names = "--pipeline", paramLabel = "'P1 ARGS | P2 ARGS ...'",
      description = "start the stages piped together (split on |, arguments on white space)")
  String pipeline;

  @Option(names = "--on", paramLabel = "NODE", split = ",",
      description = "node to run on (default: the least-loaded); with --pipeline one per stage "
          + "or one for all")
  List<String> on = new ArrayList<>();

  @Option(names = "--stdin", paramLabel = "PATH", description = "a cluster file as stdin "
      + "(of the first stage)")
  String stdin;

  @Option(names = "--stdout", paramLabel = "PATH", description = "a cluster file as stdout "
      + "(of the last stage), created if missing")
  String stdout;

  @Option(names = "--append", description = "append to --stdout instead of writing from its start")
  boolean append;

  @Option(names = "--tty", description = "stdin and stdout on a terminal (`ssi attach PID`)")
  boolean tty;

  @Option(names = "--env", paramLabel = "K=V", description = "environment variable (repeatable)")
  Map<String, String> env = new LinkedHashMap<>();

  @Override
  int run(String base) throws IOException, RequestRefused {
    ObjectNode body;
    try {
      body = body();
    } catch (IllegalArgumentException e) {
      err().println(prefix() + e.getMessage());
      return USAGE;
    }
    JsonNode answer = client.send("POST", base + "/ssi/processes", body,
        ManagementClient.QUERY_TIMEOUT);
    out().println(StreamSupport.stream(answer.path("pids").spliterator(), false)
        .map(JsonNode::asText).collect(Collectors.joining(" ")));
    return 0;
  }

  /** The request body from the options; IllegalArgumentException for a contradiction. */
  ObjectNode body() {
    if (tty && (stdin != null || stdout != null)) {
      throw new IllegalArgumentException("--tty replaces --stdin and --stdout; give one or the "
          + "other");
    }
    if (pipeline != null) {
      if (!argv.isEmpty()) {
        throw new IllegalArgumentException("give either PROGRAM or --pipeline, not both");
      }
      if (tty) {
        throw new IllegalArgumentException("--tty is for a single process, not a pipeline");
      }
      List<List<String>> stages = SpawnSpec.parsePipeline(pipeline);
      List<String> nodes = SpawnSpec.nodesPerStage(on, stages.size());
      List<ObjectNode> specs = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        specs.add(SpawnSpec.single(stages.get(i), nodes.get(i), env));
      }
      if (stdin != null) {
        specs.get(0).set("stdin", SpawnSpec.file(stdin, false));
      }
      if (stdout != null) {
        specs.get(specs.size() - 1).set("stdout", SpawnSpec.file(stdout, append));
      }
      return SpawnSpec.pipeline(specs);
    }
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("missing PROGRAM (or --pipeline)");
    }
    if (on.size() > 1) {
      throw new IllegalArgumentException("--on names " + on.size() + " nodes for one process");
    }
    ObjectNode spec = SpawnSpec.single(argv, on.isEmpty() ? null : on.get(0), env);
    if (tty) {
      spec.set("stdin", SpawnSpec.tty());
      spec.set("stdout", SpawnSpec.tty());
    }
    if (stdin != null) {
      spec.set("stdin", SpawnSpec.file(stdin, false));
    }
    if (stdout != null) {
      spec.set("stdout", SpawnSpec.file(stdout, append));
    }
    return spec;
  }
}

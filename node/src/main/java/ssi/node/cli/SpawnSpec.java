package ssi.node.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /ssi/processes}: one process ({@code {"program", "args", "env",
 * "node", "stdin", "stdout"}}) or a pipeline ({@code {"pipeline": [spec, ...]}}, each stage's
 * stdout piped to the next one's stdin). Pure, so {@code ssi spawn} and the demo build the same
 * requests.
 */
final class SpawnSpec {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SpawnSpec() {
  }

  /** One process: {@code argv} is the program and its arguments; {@code node} may be null. */
  static ObjectNode single(List<String> argv, String node, Map<String, String> env) {
    ObjectNode spec = JSON.objectNode();
    spec.put("program", argv.get(0));
    ArrayNode args = spec.putArray("args");
    argv.subList(1, argv.size()).forEach(args::add);
    if (!env.isEmpty()) {
      ObjectNode e = spec.putObject("env");
      env.forEach(e::put);
    }
    if (node != null) {
      spec.put("node", node);
    }
    return spec;
  }

  /** {@code {"file": path, "append": append}}. */
  static ObjectNode file(String path, boolean append) {
    return JSON.objectNode().put("file", path).put("append", append);
  }

  /** {@code {"tty": true}}. */
  static ObjectNode tty() {
    return JSON.objectNode().put("tty", true);
  }

  /** {@code {"pipeline": [stages...]}}. */
  static ObjectNode pipeline(List<ObjectNode> stages) {
    ObjectNode body = JSON.objectNode();
    body.putArray("pipeline").addAll(stages);
    return body;
  }

  /**
   * The stages of {@code 'yes 1000 | cat'}: split on {@code |}, each stage on white space (no
   * quoting). An IllegalArgumentException names an empty stage.
   */
  static List<List<String>> parsePipeline(String pipeline) {
    String[] parts = pipeline.split("\\|", -1);
    List<List<String>> stages = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String stage = parts[i].strip();
      if (stage.isEmpty()) {
        throw new IllegalArgumentException("stage " + (i + 1) + " of '" + pipeline
            + "' is empty");
      }
      stages.add(List.copyOf(Arrays.asList(stage.split("\\s+"))));
    }
    return stages;
  }

  /**
   * The node of each of {@code stages} stages from {@code --on}: none (the cluster places each),
   * one for all, or exactly one per stage.
   */
  static List<String> nodesPerStage(List<String> on, int stages) {
    if (on.isEmpty()) {
      return Collections.nCopies(stages, null);
    }
    if (on.size() == 1) {
      return Collections.nCopies(stages, on.get(0));
    }
    if (on.size() != stages) {
      throw new IllegalArgumentException("--on names " + on.size() + " nodes for " + stages
          + " stages; give one node per stage, or one for all");
    }
    return List.copyOf(on);
  }
}

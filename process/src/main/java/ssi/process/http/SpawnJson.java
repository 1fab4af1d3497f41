package ssi.process.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ssi.cluster.http.SsiJson;
import ssi.process.core.FdSpec;
import ssi.process.core.SpawnSpec;

/**
 * Reads the body of {@code POST /ssi/processes}: one process
 * {@code {"program","args","env","node","stdin","stdout","stderr"}} or
 * {@code {"pipeline":[...]}}; a descriptor is {@code {"file":"/path","append":bool}} or
 * {@code {"tty":true}}. Anything else is an {@link IllegalArgumentException} with a message for
 * the user.
 */
final class SpawnJson {

  private SpawnJson() {
  }

  static List<SpawnSpec> parse(String body) {
    JsonNode root;
    try {
      root = SsiJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    if (root.has("pipeline")) {
      JsonNode stages = root.get("pipeline");
      if (!stages.isArray() || stages.isEmpty()) {
        throw new IllegalArgumentException("pipeline must be a non-empty array of processes");
      }
      List<SpawnSpec> out = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        SpawnSpec s = one(stages.get(i), "pipeline[" + i + "]");
        if (i < stages.size() - 1 && s.fds().containsKey(1)) {
          throw new IllegalArgumentException("pipeline[" + i + "]: stdout is the pipe to the "
              + "next stage");
        }
        if (i > 0 && s.fds().containsKey(0)) {
          throw new IllegalArgumentException("pipeline[" + i + "]: stdin is the pipe from the "
              + "previous stage");
        }
        out.add(s);
      }
      return out;
    }
    return List.of(one(root, "process"));
  }

  private static SpawnSpec one(JsonNode n, String where) {
    if (!n.isObject() || !n.path("program").isTextual() || n.path("program").asText().isBlank()) {
      throw new IllegalArgumentException(where + ": \"program\" (a name) is required");
    }
    List<String> args = new ArrayList<>();
    JsonNode a = n.path("args");
    if (!a.isMissingNode() && !a.isNull()) {
      if (!a.isArray()) {
        throw new IllegalArgumentException(where + ": \"args\" must be an array of strings");
      }
      a.forEach(x -> args.add(x.isValueNode() ? x.asText() : x.toString()));
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = n.path("env");
    if (!e.isMissingNode() && !e.isNull()) {
      if (!e.isObject()) {
        throw new IllegalArgumentException(where + ": \"env\" must be an object of strings");
      }
      e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    }
    JsonNode nodeField = n.path("node");
    if (!nodeField.isMissingNode() && !nodeField.isNull() && !nodeField.isTextual()) {
      throw new IllegalArgumentException(where + ": \"node\" must be a node's name");
    }
    String node = nodeField.isTextual() ? nodeField.asText() : null;
    Map<Integer, FdSpec> fds = new TreeMap<>();
    String[] names = {"stdin", "stdout", "stderr"};
    for (int fd = 0; fd < names.length; fd++) {
      JsonNode f = n.path(names[fd]);
      if (f.isMissingNode() || f.isNull()) {
        continue;
      }
      fds.put(fd, fd(f, where + "." + names[fd]));
    }
    return new SpawnSpec(n.path("program").asText(), args, env, node, fds);
  }

  private static FdSpec fd(JsonNode f, String where) {
    if (f.path("tty").asBoolean(false)) {
      return FdSpec.tty();
    }
    if (f.path("file").isTextual()) {
      String path = f.path("file").asText();
      if (!path.startsWith("/") || path.length() < 2) {
        throw new IllegalArgumentException(where + ": file must be an absolute path, got '"
            + path + "'");
      }
      return FdSpec.file(path, f.path("append").asBoolean(false));
    }
    throw new IllegalArgumentException(where + ": must be {\"file\": \"/path\", \"append\": "
        + "true|false} or {\"tty\": true}");
  }
}

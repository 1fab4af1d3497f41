package ssi.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Certificates for {@code ssi up --tls}: runs {@code bin/ssi-certs} for node-1..node-N (it keeps
 * an existing CA and keystores) and gives each node its TLS settings through the environment —
 * not as {@code -D} options, which {@code ps} would show, password included.
 */
final class LocalTls {

  private final Path dir;
  private final String password;

  private LocalTls(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  Path dir() {
    return dir;
  }

  /** Makes the missing certificates; null (with the reason printed) when that failed. */
  static LocalTls prepare(Path home, Path dir, int nodes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        home.resolve("bin/ssi-certs").toString(), "--out", dir.toString()));
    for (int i = 1; i <= nodes; i++) {
      command.add("node-" + i);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      System.err.print(output);
      System.err.println("ssi up: bin/ssi-certs failed; no node started");
      return null;
    }
    String password = System.getenv("SSI_TLS_PASSWORD");
    if (password == null || password.isEmpty()) {
      Path kept = dir.resolve("password");
      if (!Files.isReadable(kept)) {
        System.err.println("ssi up: --tls needs the stores' password: set SSI_TLS_PASSWORD");
        return null;
      }
      password = Files.readString(kept).strip();
    }
    return new LocalTls(dir, password);
  }

  /** The environment that turns TLS on for node {@code name}. */
  Map<String, String> environment(String name) {
    return Map.of("SSI_TLS", "on",
        "SSI_TLS_KEYSTORE", dir.resolve(name + ".p12").toString(),
        "SSI_TLS_TRUSTSTORE", dir.resolve("truststore.p12").toString(),
        "SSI_TLS_PASSWORD", password);
  }
}

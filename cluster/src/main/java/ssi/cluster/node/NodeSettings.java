package ssi.cluster.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The {@code ssi.node} settings: this node's name, its ports and the management endpoints of the
 * nodes that may bootstrap the cluster. Each can also come from an environment variable
 * ({@code SSI_NODE_NAME}, {@code SSI_REMOTE_PORT}, {@code SSI_MGMT_PORT}, {@code SSI_SEEDS}) or a
 * system property ({@code -Dssi.node.name=...}); see {@code reference.conf}.
 *
 * @param name the node's SSI name, unique in the cluster
 * @param host the address Artery and management bind to and advertise
 * @param remotePort the Artery port
 * @param managementPort the Akka Management HTTP port
 * @param seeds management endpoints ({@code host:port}) that Cluster Bootstrap probes
 * @param parentPid when positive, the node exits as soon as that process is gone
 * @param cpus the number of CPU actors
 */
public record NodeSettings(String name, String host, int remotePort, int managementPort,
    List<Endpoint> seeds, long parentPid, int cpus) {

  /** A {@code host:port} management endpoint. */
  public record Endpoint(String host, int port) {
    /** Parses {@code host:port}; a clear error for anything else. */
    public static Endpoint parse(String text) {
      String t = text.trim();
      int colon = t.lastIndexOf(':');
      if (colon <= 0 || colon == t.length() - 1) {
        throw new IllegalArgumentException("seed '" + t + "' is not host:port");
      }
      try {
        int port = Integer.parseInt(t.substring(colon + 1));
        if (port <= 0 || port > 65535) {
          throw new IllegalArgumentException("seed '" + t + "' has a port out of range");
        }
        return new Endpoint(t.substring(0, colon), port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("seed '" + t + "' has a port that is not a number");
      }
    }
  }

  /** Reads {@code ssi.node} (and {@code ssi.cpus}) from a node's config. */
  public static NodeSettings from(Config config) {
    Config c = config.getConfig("ssi.node");
    List<Endpoint> seeds = new ArrayList<>();
    for (String s : c.getString("seeds").split(",")) {
      if (!s.isBlank()) {
        seeds.add(Endpoint.parse(s));
      }
    }
    int cpus = config.hasPath("ssi.cpus") ? config.getInt("ssi.cpus") : 0;
    return new NodeSettings(c.getString("name"), c.getString("host"), c.getInt("remote-port"),
        c.getInt("management-port"), List.copyOf(seeds), c.getLong("parent-pid"),
        cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors());
  }

  /** The project version baked in at build time. */
  public static String version() {
    try (InputStream in = NodeSettings.class.getResourceAsStream("/ssi/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}

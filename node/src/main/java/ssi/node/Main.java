package ssi.node;

import akka.actor.typed.ActorSystem;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ssi.cluster.mesh.Mesh;
import ssi.cluster.node.NodeNames;
import ssi.cluster.node.NodeSettings;

/**
 * Starts one SSI node: the {@code ActorSystem} named {@code ssi}, Akka Management (HTTP) and then
 * Cluster Bootstrap, which finds or forms the cluster through the configured discovery.
 *
 * <p>Configuration: the root {@code application.conf} (pass {@code -Dconfig.file=...}; the jar
 * carries a copy, used when none is given), environment variables {@code SSI_NODE_NAME}, {@code SSI_REMOTE_PORT},
 * {@code SSI_MGMT_PORT}, {@code SSI_SEEDS}, or system properties {@code -Dssi.node.*}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Exit status when the node cannot start (bad config, port in use). */
  public static final int EXIT_START_FAILED = 2;
  /** Exit status when the watched parent process went away. */
  public static final int EXIT_PARENT_GONE = 3;

  private Main() {
  }

  public static void main(String[] args) {
    Config config;
    NodeSettings settings;
    try {
      config = nodeConfig(ConfigFactory.load(applicationConfig()));
      settings = NodeSettings.from(config);
    } catch (RuntimeException e) {
      System.err.println("ssi node: bad configuration: " + e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    watchParent(settings.parentPid());

    ActorSystem<Void> system = ActorSystem.create(NodeGuardian.create(), "ssi", config);
    AkkaManagement.get(system).start().whenComplete((uri, failure) -> {
      if (failure != null) {
        LOG.error("node {}: Akka Management could not bind {}:{} ({}); stopping",
            settings.name(), settings.host(), settings.managementPort(), failure.toString());
        system.terminate();
        haltAfterShutdown(system, EXIT_START_FAILED);
        return;
      }
      LOG.info("node {} started: cluster address {}, management {}", settings.name(),
          akka.cluster.typed.Cluster.get(system).selfMember().address(), uri);
      ClusterBootstrap.get(system).start();
    });
    system.getWhenTerminated().thenRun(() -> LOG.info("node {} stopped", settings.name()));
  }

  /** Resource name of the copy of the root application.conf inside the node jar. */
  static final String PACKAGED_APPLICATION_CONF = "ssi/node/application.conf";

  /**
   * The user's application config: the file named by {@code -Dconfig.file} (or
   * {@code config.resource}/{@code config.url}) when given, else the root application.conf
   * packaged in the jar.
   */
  static Config applicationConfig() {
    boolean explicit = System.getProperty("config.file") != null
        || System.getProperty("config.resource") != null
        || System.getProperty("config.url") != null;
    return explicit ? ConfigFactory.defaultApplication()
        : ConfigFactory.parseResources(Main.class.getClassLoader(), PACKAGED_APPLICATION_CONF);
  }

  /**
   * The node's final config: {@code base} plus what cannot be said in HOCON — the seed list
   * turned into config-discovery endpoints, this node's name as a cluster role, the mesh's
   * bulk endpoint added to Artery's large-message destinations, the Raw-Request-URI header on
   * (the file routes check it), and Artery tls-tcp when
   * {@code ssi.tls.enabled} is on.
   */
  static Config nodeConfig(Config base) {
    NodeSettings s = NodeSettings.from(base);
    if (s.seeds().isEmpty()) {
      throw new IllegalArgumentException("ssi.node.seeds (SSI_SEEDS) lists no management endpoint");
    }
    String service = base.getString(
        "akka.management.cluster.bootstrap.contact-point-discovery.service-name");
    List<Map<String, Object>> endpoints = s.seeds().stream()
        .map(e -> Map.<String, Object>of("host", e.host(), "port", e.port()))
        .toList();
    int required = Math.min(s.seeds().size(), base.getInt(
        "akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    List<String> roles = new java.util.ArrayList<>(base.getStringList("akka.cluster.roles"));
    roles.add(NodeNames.ROLE_PREFIX + s.name());
    List<String> large = new java.util.ArrayList<>(
        base.getStringList("akka.remote.artery.large-message-destinations"));
    if (!large.contains(Mesh.BULK_PATH)) {
      large.add(Mesh.BULK_PATH); // the mesh's bulk channel rides Artery's large-message stream
    }
    Config overlay = ConfigFactory.parseMap(Map.of(
        "akka.discovery.config.services." + service + ".endpoints", endpoints,
        "akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
        required,
        "akka.cluster.roles", roles,
        "akka.remote.artery.large-message-destinations", large,
        // /ssi/files refuses '.' and '..' in request paths: it needs the raw request target
        // (the files reference.conf says so too, but akka-http's own reference.conf comes after
        // it in the shaded jar and would turn it off again).
        "akka.http.server.raw-request-uri-header", "on",
        // A migrate or drain request answers when the migration has ended (up to
        // ssi.process.migrate-timeout): the connection must not be closed as idle before.
        "akka.http.server.idle-timeout", Math.max(
            base.getDuration("akka.http.server.idle-timeout").toMillis(),
            base.getDuration("ssi.process.migrate-timeout").plusSeconds(30).toMillis()) + "ms"));
    return TlsConfig.overlay(base).withFallback(overlay).withFallback(base).resolve();
  }

  private static void watchParent(long parentPid) {
    if (parentPid <= 0) {
      return;
    }
    ProcessHandle.of(parentPid).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> {
          LOG.warn("parent process {} is gone; this node exits", parentPid);
          System.exit(EXIT_PARENT_GONE);
        }),
        () -> {
          System.err.println("ssi node: parent process " + parentPid + " is not running");
          System.exit(EXIT_PARENT_GONE);
        });
  }

  private static void haltAfterShutdown(ActorSystem<?> system, int status) {
    Thread t = new Thread(() -> {
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // fall through to exit: a node that failed to start must not linger
      }
      System.exit(status);
    }, "ssi-exit");
    t.setDaemon(false);
    t.start();
  }
}

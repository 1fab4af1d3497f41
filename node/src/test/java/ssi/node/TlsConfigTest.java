package ssi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsConfig}: off by default; when on, Artery {@code tls-tcp} with mutual authentication and
 * the stores {@code bin/ssi-certs} made; every misconfiguration refused at start with the key named.
 */
class TlsConfigTest {

  private static final String PASSWORD = "test-secret";
  private static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine.";

  @TempDir
  static Path dir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Path script = projectRoot().resolve("bin/ssi-certs");
    Process p = new ProcessBuilder(script.toString(), "--out", dir.toString(),
        "--password", PASSWORD, "node-1")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ssi-certs finished");
    assertEquals(0, p.exitValue(), output);
  }

  @Test
  void offByDefaultAndWhenTheBlockIsAbsent() {
    assertTrue(TlsConfig.overlay(ConfigFactory.empty()).isEmpty());
    assertTrue(TlsConfig.overlay(tls().withValue(TlsConfig.ENABLED,
        ConfigValueFactory.fromAnyRef("off"))).isEmpty());
  }

  @Test
  void onGivesTlsTcpWithMutualAuthenticationAndTheStores() {
    Config artery = TlsConfig.overlay(tls()).withFallback(tls()).resolve();

    assertEquals("tls-tcp", artery.getString("akka.remote.artery.transport"));
    assertEquals(dir.resolve("node-1.p12").toString(), artery.getString(ENGINE + "key-store"));
    assertEquals(dir.resolve("truststore.p12").toString(),
        artery.getString(ENGINE + "trust-store"));
    for (String key : List.of("key-store-password", "key-password", "trust-store-password")) {
      assertEquals(PASSWORD, artery.getString(ENGINE + key), key);
    }
    assertTrue(artery.getBoolean(ENGINE + "require-mutual-authentication"));
    assertFalse(artery.getBoolean(ENGINE + "hostname-verification"));
    assertEquals("TLSv1.3", artery.getString(ENGINE + "protocol"));
    assertEquals(List.of("TLS_AES_128_GCM_SHA256"),
        artery.getStringList(ENGINE + "enabled-algorithms"));
  }

  @Test
  void aMissingStoreOrPasswordIsRefusedNamingItsKey() {
    assertRefused(tls().withoutPath(TlsConfig.KEY_STORE), "ssi.tls.key-store (SSI_TLS_KEYSTORE)");
    assertRefused(tls().withValue(TlsConfig.TRUST_STORE, ConfigValueFactory.fromAnyRef("")),
        "ssi.tls.trust-store (SSI_TLS_TRUSTSTORE)");
    assertRefused(tls().withoutPath(TlsConfig.PASSWORD), "ssi.tls.password (SSI_TLS_PASSWORD)");
    assertRefused(tls().withValue(TlsConfig.KEY_STORE,
        ConfigValueFactory.fromAnyRef(dir.resolve("nope.p12").toString())), "does not exist");
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertRefused(tls().withValue(TlsConfig.PASSWORD, ConfigValueFactory.fromAnyRef("wrong!")),
        "wrong password");
  }

  @Test
  void aKeystoreWithoutAPrivateKeyIsRefused() {
    assertRefused(tls().withValue(TlsConfig.KEY_STORE,
        ConfigValueFactory.fromAnyRef(dir.resolve("truststore.p12").toString())),
        "holds no private key");
  }

  @Test
  void anEmptyCipherSuiteListIsRefused() {
    assertRefused(tls().withValue(TlsConfig.ENABLED_ALGORITHMS,
        ConfigValueFactory.fromIterable(List.of())), "lists no cipher suite");
  }

  /** The ssi.tls block as a user turns it on, with the stores made in {@link #makeCertificates}. */
  private static Config tls() {
    return ConfigFactory.parseString("""
        ssi.tls {
          enabled = on
          key-store = "%s"
          trust-store = "%s"
          password = "%s"
          protocol = "TLSv1.3"
          enabled-algorithms = ["TLS_AES_128_GCM_SHA256"]
        }
        """.formatted(dir.resolve("node-1.p12"), dir.resolve("truststore.p12"), PASSWORD));
  }

  private static void assertRefused(Config config, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsConfig.overlay(config));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** The directory holding bin/ssi-certs: the module's parent when Maven runs the test. */
  private static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/ssi-certs"))) {
        return p;
      }
    }
    throw new IllegalStateException("bin/ssi-certs not found above " + Path.of("").toAbsolutePath());
  }
}

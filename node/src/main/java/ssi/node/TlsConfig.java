package ssi.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Mutual TLS between nodes: when {@code ssi.tls.enabled} is on, a config overlay that switches
 * Artery to {@code tls-tcp} with this node's keystore and the cluster's truststore, and makes every
 * peer — in both directions — present a certificate signed by a CA in the truststore. Off (the
 * default, also when the {@code ssi.tls} block is absent) the overlay is empty and Artery stays
 * plain TCP. {@code bin/ssi-certs} makes the CA, the keystores and the truststore.
 *
 * <pre>{@code
 * return TlsConfig.overlay(base).withFallback(overlay).withFallback(base).resolve();
 * }</pre>
 *
 * <p>Hostname verification stays off on purpose: the trust anchor is the cluster CA, which signs
 * only cluster nodes, and nodes reach each other by IP address (which changes with DHCP or
 * containers), so the address in a certificate would add a failure mode, not a check. The stores
 * are opened once here, so a wrong path or password, a keystore without a key or an expired
 * certificate stops the node at start with a message naming the key to fix, instead of failing
 * every connection later. Management HTTP is not affected: it stays plain HTTP.
 */
public final class TlsConfig {

  static final String ENABLED = "ssi.tls.enabled";
  static final String KEY_STORE = "ssi.tls.key-store";
  static final String TRUST_STORE = "ssi.tls.trust-store";
  static final String PASSWORD = "ssi.tls.password";
  static final String PROTOCOL = "ssi.tls.protocol";
  static final String ENABLED_ALGORITHMS = "ssi.tls.enabled-algorithms";

  private static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine.";

  private TlsConfig() {
  }

  /**
   * The Artery settings for {@code base}'s {@code ssi.tls.*} keys: empty when TLS is off, else
   * {@code tls-tcp} with mutual authentication; to be laid over {@code base}.
   *
   * @throws IllegalArgumentException when TLS is on and a key is missing or a store is unusable
   */
  public static Config overlay(Config base) {
    if (!base.hasPath(ENABLED) || !base.getBoolean(ENABLED)) {
      return ConfigFactory.empty();
    }
    Path keyStore = Path.of(required(base, KEY_STORE, "SSI_TLS_KEYSTORE")).toAbsolutePath();
    Path trustStore = Path.of(required(base, TRUST_STORE, "SSI_TLS_TRUSTSTORE")).toAbsolutePath();
    String password = required(base, PASSWORD, "SSI_TLS_PASSWORD");
    checkKeyStore(keyStore, password);
    checkTrustStore(trustStore, password);
    List<String> algorithms = base.getStringList(ENABLED_ALGORITHMS);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException(ENABLED_ALGORITHMS + " lists no cipher suite");
    }
    return ConfigFactory.parseMap(Map.ofEntries(
        Map.entry("akka.remote.artery.transport", "tls-tcp"),
        Map.entry("akka.remote.artery.ssl.ssl-engine-provider",
            "akka.remote.artery.tcp.ConfigSSLEngineProvider"),
        Map.entry(ENGINE + "key-store", keyStore.toString()),
        Map.entry(ENGINE + "key-store-password", password),
        Map.entry(ENGINE + "key-password", password),
        Map.entry(ENGINE + "trust-store", trustStore.toString()),
        Map.entry(ENGINE + "trust-store-password", password),
        Map.entry(ENGINE + "protocol", base.getString(PROTOCOL)),
        Map.entry(ENGINE + "enabled-algorithms", algorithms),
        Map.entry(ENGINE + "require-mutual-authentication", true),
        Map.entry(ENGINE + "hostname-verification", false)),
        "ssi.tls (mutual TLS between nodes)");
  }

  private static String required(Config base, String key, String variable) {
    String value;
    try {
      value = base.getString(key);
    } catch (ConfigException.Missing e) {
      value = "";
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(ENABLED + " is on but " + key + " (" + variable
          + ") is not set (bin/ssi-certs makes the stores and prints the settings)");
    }
    return value;
  }

  /** The node's own key: present, readable with the password, its certificate valid now. */
  private static void checkKeyStore(Path path, String password) {
    KeyStore store = load(path, password, KEY_STORE);
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          Certificate cert = store.getCertificate(alias);
          if (cert instanceof X509Certificate x509) {
            checkValid(x509, path);
          }
          return;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(KEY_STORE + " " + path + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(KEY_STORE + " " + path
        + " holds no private key (a truststore given as keystore?)");
  }

  /** The trust anchors: at least one certificate. */
  private static void checkTrustStore(Path path, String password) {
    KeyStore store = load(path, password, TRUST_STORE);
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          return;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(TRUST_STORE + " " + path + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(TRUST_STORE + " " + path + " holds no certificate");
  }

  private static KeyStore load(Path path, String password, String key) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(key + " " + path + " does not exist or is not readable");
    }
    try {
      return KeyStore.getInstance(path.toFile(), password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      // A wrong password shows as an IOException whose cause is an UnrecoverableKeyException.
      String why = e.getCause() instanceof java.security.UnrecoverableKeyException
          ? "wrong password (" + PASSWORD + ", SSI_TLS_PASSWORD)" : e.getMessage();
      throw new IllegalArgumentException(key + " " + path + ": cannot open: " + why, e);
    }
  }

  private static void checkValid(X509Certificate cert, Path path) {
    try {
      cert.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new IllegalArgumentException(KEY_STORE + " " + path + ": the certificate of "
          + cert.getSubjectX500Principal().getName() + " is not valid now (valid "
          + cert.getNotBefore() + " to " + cert.getNotAfter() + ")", e);
    }
  }
}

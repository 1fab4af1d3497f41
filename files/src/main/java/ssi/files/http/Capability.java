package ssi.files.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import ssi.files.handle.GlobalFileHandle;

/**
 * A capability: a {@link GlobalFileHandle} an outside client may use, sealed with an
 * HMAC-SHA256 under the cluster secret {@code ssi.security.secret} (DESIGN §9).
 *
 * <p>Format (49 bytes, then URL-safe base64 without padding: 66 characters):
 * {@code version (1 byte, = 1) | object id (8, big-endian) | generation (8, big-endian) |
 * HMAC-SHA256(secret, the first 17 bytes) (32)}. Anything else — another length, another
 * version, bad base64, a MAC that does not match (compared in constant time) — is not a
 * capability. The same secret on every node makes a capability valid on every node.
 *
 * <pre>{@code
 * String cap = Capability.issue(secret, fh);
 * Optional<GlobalFileHandle> back = Capability.verify(secret, cap); // fh
 * }</pre>
 */
public final class Capability {

  /** The format version written in the first byte. */
  public static final byte VERSION = 1;

  private static final int BODY = 1 + 8 + 8;
  private static final int MAC = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private Capability() {
  }

  /** The capability of {@code fh} under {@code secret} (not empty). */
  public static String issue(String secret, GlobalFileHandle fh) {
    ByteBuffer b = ByteBuffer.allocate(BODY + MAC);
    b.put(VERSION).putLong(fh.objectId()).putLong(fh.generation());
    b.put(mac(secret, b.array(), BODY));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The handle a capability carries, if it is well formed and sealed under {@code secret}. */
  public static Optional<GlobalFileHandle> verify(String secret, String capability) {
    if (secret.isEmpty() || capability == null || capability.length() > 2 * (BODY + MAC)) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(capability);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != BODY + MAC || raw[0] != VERSION
        || !capability.equals(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))) {
      return Optional.empty(); // the last check refuses padded or non-canonical spellings
    }
    byte[] given = java.util.Arrays.copyOfRange(raw, BODY, BODY + MAC);
    if (!MessageDigest.isEqual(mac(secret, raw, BODY), given)) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(raw, 1, 16);
    return Optional.of(new GlobalFileHandle(b.getLong(), b.getLong()));
  }

  private static byte[] mac(String secret, byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}

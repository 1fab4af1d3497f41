package ssi.files.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ssi.files.handle.GlobalFileHandle;

/** Capabilities verify only as issued: any changed, cut, padded or foreign one is refused. */
class CapabilityTest {

  private static final String SECRET = "s3cret";
  private static final GlobalFileHandle FH = new GlobalFileHandle(123456789L, 7);

  @Test
  void aCapabilityVerifiesToItsHandle() {
    String cap = Capability.issue(SECRET, FH);
    assertEquals(66, cap.length());
    assertTrue(cap.matches("[A-Za-z0-9_-]+"), cap);
    assertEquals(Optional.of(FH), Capability.verify(SECRET, cap));
  }

  @Test
  void everyAlteredCharacterIsRefused() {
    String cap = Capability.issue(SECRET, FH);
    for (int i = 0; i < cap.length(); i++) {
      char c = cap.charAt(i);
      String altered = cap.substring(0, i) + (c == 'A' ? 'B' : 'A') + cap.substring(i + 1);
      assertEquals(Optional.empty(), Capability.verify(SECRET, altered), "position " + i);
    }
  }

  @Test
  void truncatedPaddedForeignAndForgedAreRefused() {
    String cap = Capability.issue(SECRET, FH);
    assertEquals(Optional.empty(), Capability.verify(SECRET, cap.substring(0, cap.length() - 1)));
    assertEquals(Optional.empty(), Capability.verify(SECRET, cap.substring(0, 20)));
    assertEquals(Optional.empty(), Capability.verify(SECRET, cap + "="));
    assertEquals(Optional.empty(), Capability.verify(SECRET, cap + "AA"));
    assertEquals(Optional.empty(), Capability.verify(SECRET, ""));
    assertEquals(Optional.empty(), Capability.verify(SECRET, "not base64 !"));
    assertEquals(Optional.empty(), Capability.verify("other", cap));
    assertEquals(Optional.empty(), Capability.verify("", cap));
    // Another handle with the MAC of the first: refused.
    byte[] raw = Base64.getUrlDecoder().decode(cap);
    raw[8] ^= 1;
    assertEquals(Optional.empty(), Capability.verify(SECRET,
        Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
  }
}

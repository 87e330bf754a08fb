package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 sections 1.3 and 4.1: the key and its accept value. */
class WebSocketAcceptTest {

  @Test
  void theExampleOfSection1_3() {
    // As printed in the RFC: base64(SHA-1("dGhlIHNhbXBsZSBub25jZQ==" + GUID)).
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketAccept.of("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @Test
  void newKeysAreSixteenRandomBytesInBase64() {
    String a = WebSocketAccept.newKey();
    String b = WebSocketAccept.newKey();
    assertEquals(16, Base64.getDecoder().decode(a).length);
    assertTrue(WebSocketAccept.isValidKey(a));
    assertNotEquals(a, b);
  }

  @Test
  void theSampleKeyIsValid() {
    assertTrue(WebSocketAccept.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "dGhlIHNhbXBsZSBub25jZQ", // unpadded
      "dGhlIHNhbXBsZSBub25jZQ=", // one pad
      "dGhlIHNhbXBsZSBub25jZR==", // non-zero unused bits
      "dGhlIHNhbXBsZSBub25jZ!==", // not base64
      "dGhlIHNhbXBsZSBub25jZXM=", // 17 bytes
      "dGhlIHNhbXBsZSBub25j", // 15 bytes
      "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ=="})
  void keysMustBeTheCanonicalBase64OfSixteenBytes(String key) {
    assertFalse(WebSocketAccept.isValidKey(key));
  }
}

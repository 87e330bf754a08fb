package io.reactivews.core.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key and accept values of the opening handshake (RFC 6455 sections 1.3 and 4.2.2): the
 * client sends a random {@code Sec-WebSocket-Key}; the server proves it read it, as a WebSocket
 * server, by answering {@code Sec-WebSocket-Accept: base64(SHA-1(key + GUID))}.
 *
 * <pre>{@code
 * WebSocketAccept.of("dGhlIHNhbXBsZSBub25jZQ==");   // "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WebSocketAccept {

  /** The GUID that RFC 6455 appends to every key. */
  public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebSocketAccept() {}

  /** The {@code Sec-WebSocket-Accept} value that answers {@code key}. */
  public static String of(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-1", e);
    }
  }

  /** A fresh key: 16 bytes from {@link SecureRandom}, in base64 (section 4.1). */
  public static String newKey() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /**
   * Whether {@code key} is what section 4.1 requires: the padded base64 of exactly 16 bytes.
   * Only the canonical form passes (24 characters, {@code ==} at the end, unused bits zero), so
   * a key has one spelling.
   */
  public static boolean isValidKey(String key) {
    if (key == null || key.length() != 24) {
      return false;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(key);
      return bytes.length == 16 && Base64.getEncoder().encodeToString(bytes).equals(key);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

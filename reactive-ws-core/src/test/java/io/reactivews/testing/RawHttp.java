package io.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTTP side of a hand-driven WebSocket peer (RFC 6455 section 4): the upgrade request as text
 * a test may bend, reading a head off a socket, and the accept value worked out apart from the
 * code under test. Stateless.
 *
 * <pre>{@code
 * out.write(RawHttp.upgradeRequest("/echo").replace("Version: 13", "Version: 8")
 *     .getBytes(StandardCharsets.ISO_8859_1));
 * String response = RawHttp.readHead(in);
 * }</pre>
 */
public final class RawHttp {

  /** The key of RFC 6455 section 1.3; its accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
  public static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEAD = 16 << 10;

  private RawHttp() {}

  /** A well-formed upgrade request for {@code path} with Host 127.0.0.1 and the sample key. */
  public static String upgradeRequest(String path) {
    return upgradeRequest("127.0.0.1", path);
  }

  /** A well-formed upgrade request for {@code path} with this Host and the sample key. */
  public static String upgradeRequest(String host, String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + SAMPLE_KEY + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
  }

  /** A 101 answer that accepts the upgrade with this Sec-WebSocket-Accept value. */
  public static String switchingProtocols(String accept) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
  }

  /**
   * Reads a request or response head through its blank line, byte by byte, so that nothing after
   * it (the first frames) is consumed.
   *
   * @throws EOFException if the stream ends first
   * @throws IOException if the head grows past 16 KiB
   */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("end of stream after " + head.size() + " bytes of head: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      if (head.size() > MAX_HEAD) {
        throw new IOException("head larger than 16 KiB");
      }
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The value of the first header called {@code name} (any case) in {@code head}, or null. */
  public static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** The Sec-WebSocket-Accept value for {@code key} (section 4.2.2, step 5.4). */
  public static String accept(String key) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}

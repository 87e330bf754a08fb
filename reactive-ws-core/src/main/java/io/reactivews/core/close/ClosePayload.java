package io.reactivews.core.close;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.message.Utf8Validator;
import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 section 5.5.1): empty, or a 2-byte big-endian code
 * followed by a UTF-8 reason. Stateless.
 */
public final class ClosePayload {

  private static final byte[] EMPTY = new byte[0];

  private ClosePayload() {}

  /**
   * Reads a received close frame's body.
   *
   * @return the status, {@link CloseStatus#NO_STATUS_RECEIVED} for an empty body
   * @throws WebSocketException 1002 for a 1-byte body or a code that may not be sent, 1007 for a
   *     reason that is not UTF-8
   */
  public static CloseStatus parse(byte[] body) {
    if (body.length == 0) {
      return CloseStatus.NO_STATUS_RECEIVED;
    }
    if (body.length == 1) {
      throw WebSocketException.protocolError("close frame with a 1-byte body");
    }
    int code = (body[0] & 0xFF) << 8 | (body[1] & 0xFF);
    if (!CloseStatus.isValidOnWire(code)) {
      throw WebSocketException.protocolError("close frame with invalid code " + code);
    }
    if (!Utf8Validator.isValid(body, 2, body.length - 2)) {
      throw WebSocketException.invalidPayload("close frame reason is not valid UTF-8");
    }
    return CloseStatus.describing(
        code, new String(body, 2, body.length - 2, StandardCharsets.UTF_8));
  }

  /**
   * The body to send for {@code status}: empty for 1005 (we received no code, so we echo none),
   * else the code and the reason, cut at a character boundary to fit 123 bytes.
   */
  public static byte[] of(CloseStatus status) {
    if (status.code() == CloseStatus.NO_STATUS_RECEIVED.code()) {
      return EMPTY;
    }
    if (!CloseStatus.isValidOnWire(status.code())) {
      throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
    }
    byte[] reason = CloseStatus.fitReason(status.reason()).getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[2 + reason.length];
    body[0] = (byte) (status.code() >> 8);
    body[1] = (byte) status.code();
    System.arraycopy(reason, 0, body, 2, reason.length);
    return body;
  }
}

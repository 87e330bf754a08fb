package io.reactivews.core;

import io.reactivews.core.close.CloseStatus;
import java.util.Objects;

/**
 * The one failure type of the toolkit: something ended, or must end, a connection with a close
 * status. Protocol violations carry 1002, bad UTF-8 1007, oversized messages 1009, a dead peer or
 * an internal failure 1011; the message says what happened in words a person can act on.
 *
 * <p>Applications see it as the error of a session's inbound {@code Flux} and as the cause of a
 * failed close; it is never thrown into user code from the network side.
 */
public class WebSocketException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient CloseStatus status;

  public WebSocketException(CloseStatus status, String message) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
  }

  public WebSocketException(CloseStatus status, String message, Throwable cause) {
    super(message, cause);
    this.status = Objects.requireNonNull(status, "status");
  }

  /** A protocol violation: RFC 6455 close code 1002. */
  public static WebSocketException protocolError(String message) {
    return new WebSocketException(CloseStatus.PROTOCOL_ERROR, message);
  }

  /** Text that is not UTF-8: close code 1007. */
  public static WebSocketException invalidPayload(String message) {
    return new WebSocketException(CloseStatus.INVALID_PAYLOAD, message);
  }

  /** A frame or message over a configured limit: close code 1009. */
  public static WebSocketException tooBig(String message) {
    return new WebSocketException(CloseStatus.MESSAGE_TOO_BIG, message);
  }

  /**
   * 1011, for a failure on this side rather than the peer's: {@code doing} says what could not be
   * done, then come the cause's type and message, as in {@code could not send a message:
   * OutOfMemoryError: Cannot reserve 65536 bytes of direct buffer memory}. The close reason is
   * that text, cut to fit a close frame.
   */
  public static WebSocketException internalError(String doing, Throwable cause) {
    String type = cause.getClass().getSimpleName();
    String detail;
    try {
      detail = cause.getMessage();
    } catch (RuntimeException e) {
      detail = null;
    }
    String what = detail == null || detail.equals(type) ? type : type + ": " + detail;
    String text = doing + ": " + what;
    return new WebSocketException(CloseStatus.INTERNAL_ERROR.withFittedReason(text), text, cause);
  }

  /** The status the connection closes with; its reason is a short form of the message. */
  public CloseStatus status() {
    return status;
  }

  /** The close code, a shortcut for {@code status().code()}. */
  public int code() {
    return status.code();
  }
}

package io.reactivews.core.close;

import java.util.Objects;

/**
 * A close code and reason (RFC 6455 section 7.4). A class rather than an enum because codes
 * 3000-4999 are open to libraries and applications.
 *
 * <p>Codes 1005 and 1006 describe how a connection ended and never appear on the wire; {@link
 * #isValidOnWire(int)} says which codes a close frame may carry. Immutable and thread-safe.
 *
 * <pre>{@code
 * session.close(CloseStatus.of(4001, "match over"));
 * }</pre>
 */
public final class CloseStatus {

  /** Longest reason that fits a control frame: 125 bytes less the 2-byte code. */
  public static final int MAX_REASON_BYTES = 123;

  public static final CloseStatus NORMAL = new CloseStatus(1000, "");
  public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "");
  public static final CloseStatus PROTOCOL_ERROR = new CloseStatus(1002, "");
  public static final CloseStatus UNSUPPORTED_DATA = new CloseStatus(1003, "");
  /** Reported when a close frame carried no code; never sent. */
  public static final CloseStatus NO_STATUS_RECEIVED = new CloseStatus(1005, "");
  /** Reported when the connection ended without a close frame; never sent. */
  public static final CloseStatus ABNORMAL_CLOSURE = new CloseStatus(1006, "");
  public static final CloseStatus INVALID_PAYLOAD = new CloseStatus(1007, "");
  public static final CloseStatus POLICY_VIOLATION = new CloseStatus(1008, "");
  public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(1009, "");
  public static final CloseStatus MANDATORY_EXTENSION = new CloseStatus(1010, "");
  public static final CloseStatus INTERNAL_ERROR = new CloseStatus(1011, "");
  public static final CloseStatus SERVICE_RESTART = new CloseStatus(1012, "");
  public static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "");
  public static final CloseStatus BAD_GATEWAY = new CloseStatus(1014, "");

  private final int code;
  private final String reason;

  private CloseStatus(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /**
   * A status to send. Rejects codes that may not appear on the wire and reasons longer than
   * {@value #MAX_REASON_BYTES} bytes of UTF-8.
   *
   * @throws IllegalArgumentException if the code or reason cannot be sent
   */
  public static CloseStatus of(int code, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (!isValidOnWire(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent");
    }
    int bytes = utf8Length(reason);
    if (bytes > MAX_REASON_BYTES) {
      throw new IllegalArgumentException(
          "close reason is " + bytes + " bytes, more than " + MAX_REASON_BYTES);
    }
    return new CloseStatus(code, reason);
  }

  /** A status to send with no reason. */
  public static CloseStatus of(int code) {
    return of(code, "");
  }

  /**
   * A status that describes a connection's end without being sent, such as 1006. Reasons longer
   * than a close frame allows are kept: they are for people, not for the wire.
   */
  public static CloseStatus describing(int code, String reason) {
    return new CloseStatus(code, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether a close frame may carry {@code code}: the registered codes 1000-1003 and 1007-1014,
   * and 3000-4999 (section 7.4.2). 1004 is reserved, 1005, 1006 and 1015 only describe local
   * outcomes, and 0-999 and 1016-2999 are unassigned.
   */
  public static boolean isValidOnWire(int code) {
    if (code >= 3000 && code <= 4999) {
      return true;
    }
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
  }

  public int code() {
    return code;
  }

  /** The reason, empty when none was given. */
  public String reason() {
    return reason;
  }

  /**
   * The longest start of {@code text} that a close frame can carry: at most {@value
   * #MAX_REASON_BYTES} bytes of UTF-8, cut between characters (never inside a surrogate pair).
   * Text that fits is returned as it is. Use it wherever a reason is made from text the code does
   * not control, such as an exception's message.
   *
   * <pre>{@code
   * session.close(CloseStatus.INTERNAL_ERROR.withReason(CloseStatus.fitReason(e.getMessage())));
   * }</pre>
   */
  public static String fitReason(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c)
          && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      int size = pair ? 4 : utf8Length(c);
      if (bytes + size > MAX_REASON_BYTES) {
        return text.substring(0, i);
      }
      bytes += size;
      if (pair) {
        i++;
      }
    }
    return text;
  }

  /** This code with {@code text} as its reason, cut by {@link #fitReason} so it can be sent. */
  public CloseStatus withFittedReason(String text) {
    return new CloseStatus(code, fitReason(Objects.requireNonNull(text, "reason")));
  }

  /** This code with another reason; the code stays as it is. */
  public CloseStatus withReason(String newReason) {
    return new CloseStatus(code, Objects.requireNonNull(newReason, "reason"));
  }

  /** Whether this status may be put in a close frame. */
  public boolean isSendable() {
    return isValidOnWire(code) && utf8Length(reason) <= MAX_REASON_BYTES;
  }

  /** Bytes of {@code text} in UTF-8, counted as {@code getBytes(UTF_8)} would, without copying. */
  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += utf8Length(c);
      }
    }
    return bytes;
  }

  /** Bytes of one char outside a surrogate pair; a lone surrogate is written as '?'. */
  private static int utf8Length(char c) {
    if (c < 0x80 || Character.isSurrogate(c)) {
      return 1;
    }
    return c < 0x800 ? 2 : 3;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CloseStatus other && other.code == code && other.reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return code * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
  }
}

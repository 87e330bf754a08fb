package io.reactivews.core.frame;

/**
 * The frame opcodes of RFC 6455 section 5.2. Opcodes 0x3-0x7 and 0xB-0xF are reserved and have
 * no constant: {@link #fromCode(int)} answers {@code null} for them and the decoder fails the
 * connection with 1002.
 */
public enum Opcode {
  CONTINUATION(0x0),
  TEXT(0x1),
  BINARY(0x2),
  CLOSE(0x8),
  PING(0x9),
  PONG(0xA);

  private static final Opcode[] BY_CODE = new Opcode[16];

  static {
    for (Opcode opcode : values()) {
      BY_CODE[opcode.code] = opcode;
    }
  }

  private final int code;

  Opcode(int code) {
    this.code = code;
  }

  /** The 4-bit value on the wire. */
  public int code() {
    return code;
  }

  /** Control frames (close, ping, pong) have the high opcode bit set (section 5.5). */
  public boolean isControl() {
    return (code & 0x8) != 0;
  }

  /** Text, binary and continuation frames carry application data. */
  public boolean isData() {
    return !isControl();
  }

  /** The opcode for a 4-bit value, or {@code null} when it is reserved. */
  public static Opcode fromCode(int code) {
    return code >= 0 && code < 16 ? BY_CODE[code] : null;
  }
}

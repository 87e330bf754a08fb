package io.reactivews.core.frame;

import java.util.Objects;

/**
 * The fixed part of a frame (RFC 6455 section 5.2): FIN, RSV1-3, opcode, mask bit and payload
 * length. The masking key itself stays inside the codec. Immutable.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * </pre>
 *
 * @param fin whether this is the final fragment of a message
 * @param rsv the three reserved bits as a number: RSV1 is 4, RSV2 is 2, RSV3 is 1
 * @param opcode what the frame carries
 * @param masked whether the payload was (or will be) masked
 * @param payloadLength the whole frame's payload length in bytes
 */
public record FrameHeader(boolean fin, int rsv, Opcode opcode, boolean masked, long payloadLength) {

  public static final int RSV1 = 0b100;
  public static final int RSV2 = 0b010;
  public static final int RSV3 = 0b001;

  /** Control frames carry at most 125 bytes (section 5.5). */
  public static final int MAX_CONTROL_PAYLOAD = 125;

  /** The longest header: 2 fixed bytes, 8 bytes of length, 4 of masking key. */
  public static final int MAX_HEADER_LENGTH = 14;

  public FrameHeader {
    Objects.requireNonNull(opcode, "opcode");
    if (rsv < 0 || rsv > 7) {
      throw new IllegalArgumentException("rsv must be 0-7: " + rsv);
    }
    if (payloadLength < 0) {
      throw new IllegalArgumentException("negative payload length: " + payloadLength);
    }
  }

  /** Bytes the header takes on the wire for this length and mask bit. */
  public static int lengthOnWire(long payloadLength, boolean masked) {
    int base = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    return masked ? base + 4 : base;
  }
}

package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A frame, or a contiguous piece of a data frame's payload, with the payload already unmasked.
 *
 * <p>The decoder hands out a data frame in pieces as its bytes arrive, so that a 16 MiB frame is
 * never held twice and UTF-8 can be checked before the frame ends; each piece repeats the frame's
 * {@link #header()} and says where it sits through {@link #offset()}. Control frames are always
 * whole. Frames built for sending with {@link #of} are whole.
 *
 * <p>A piece of a data frame is a window on one array per frame: the decoder unmasks the frame
 * into it as bytes arrive (the array grows towards the frame's size for frames over 64 KiB), and
 * each piece sits at its own {@link #offset()}. So the array of the last piece holds the whole
 * payload, and a single-frame message keeps it without a copy ({@link #arrayHoldsFrame()}).
 *
 * <p>Frames hold plain byte arrays, never a network buffer, so they need no release and can
 * cross threads freely. The array is not copied: treat it as read-only.
 *
 * <p>One exception, for a session that relays what it receives straight to a {@code send()}: a
 * decoder told to {@linkplain FrameDecoder#pooling pool} unfragmented data frames unmasks them
 * into a pooled {@link #buffer()} laid out as a server frame, and the frame's last piece hands
 * that buffer on: whoever takes such a piece owns one reference and must release it.
 */
public final class Frame {

  /** The one empty payload, shared: arrays here are never written. */
  static final byte[] EMPTY = new byte[0];

  private final FrameHeader header;
  private final byte[] array;
  /** A pooled frame's buffer, else null; then {@link #array} is null. */
  private final ByteBuf buffer;
  private final int arrayOffset;
  private final int length;
  private final long offset;

  /** A piece whose bytes are all of {@code payload}. */
  Frame(FrameHeader header, byte[] payload, long offset) {
    this(header, payload, 0, payload.length, offset);
  }

  /** A piece whose bytes are {@code length} bytes of {@code array} from {@code arrayOffset}. */
  Frame(FrameHeader header, byte[] array, int arrayOffset, int length, long offset) {
    this.header = header;
    this.array = array;
    this.buffer = null;
    this.arrayOffset = arrayOffset;
    this.length = length;
    this.offset = offset;
  }

  /** A piece of a pooled frame: {@code length} bytes of {@code buffer} from {@code index}. */
  Frame(FrameHeader header, ByteBuf buffer, int index, int length, long offset) {
    this.header = header;
    this.array = null;
    this.buffer = buffer;
    this.arrayOffset = index;
    this.length = length;
    this.offset = offset;
  }

  /** A whole, unmasked frame to send. The array is used as given, not copied. */
  public static Frame of(boolean fin, int rsv, Opcode opcode, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    return new Frame(new FrameHeader(fin, rsv, opcode, false, payload.length), payload, 0);
  }

  /** A whole, final frame with no extension bits. */
  public static Frame of(Opcode opcode, byte[] payload) {
    return of(true, 0, opcode, payload);
  }

  /** A whole, final control frame with no payload. */
  public static Frame empty(Opcode opcode) {
    return of(opcode, EMPTY);
  }

  public FrameHeader header() {
    return header;
  }

  public Opcode opcode() {
    return header.opcode();
  }

  public boolean fin() {
    return header.fin();
  }

  public int rsv() {
    return header.rsv();
  }

  /** Where this piece starts within the frame's payload. */
  public long offset() {
    return offset;
  }

  /** Bytes of payload in this piece. */
  public int length() {
    return length;
  }

  /** Whether this piece starts the frame. */
  public boolean startsFrame() {
    return offset == 0;
  }

  /** Whether this piece ends the frame. */
  public boolean endsFrame() {
    return offset + length == header.payloadLength();
  }

  /** Whether this piece is the whole frame. */
  public boolean isWhole() {
    return offset == 0 && length == header.payloadLength();
  }

  /**
   * The unmasked payload of this piece: not a copy when the piece fills its array (whole frames,
   * control frames), else copied out of the shared array; do not modify it. {@link #array()}
   * reads without copying.
   */
  public byte[] payloadArray() {
    if (buffer != null) {
      byte[] copy = new byte[length];
      buffer.getBytes(arrayOffset, copy);
      return copy;
    }
    if (arrayOffset == 0 && length == array.length) {
      return array;
    }
    return Arrays.copyOfRange(array, arrayOffset, arrayOffset + length);
  }

  /** A read-only view of this piece's payload. */
  public ByteBuffer payload() {
    if (buffer != null) {
      return ByteBuffer.wrap(payloadArray()).asReadOnlyBuffer();
    }
    return ByteBuffer.wrap(array, arrayOffset, length).slice().asReadOnlyBuffer();
  }

  /**
   * The array that holds this piece at {@link #arrayOffset()}, possibly shared with the frame's
   * other pieces and longer than the piece: not a copy, do not modify it. Null for a piece of a
   * pooled frame, whose bytes are in {@link #buffer()}.
   */
  public byte[] array() {
    return array;
  }

  /** Where this piece starts in {@link #array()}, or in {@link #buffer()} for a pooled frame. */
  public int arrayOffset() {
    return arrayOffset;
  }

  /**
   * For a piece of a pooled frame (see the class comment), the buffer holding the whole frame as
   * a server would send it, its head first and this piece at {@link #arrayOffset()}; null for
   * every other frame. Pieces before the last only lend it, valid until the next piece; the last
   * piece ({@link #endsFrame()}) gives its one reference to whoever takes it.
   */
  public ByteBuf buffer() {
    return buffer;
  }

  /**
   * Whether {@link #array()} holds the frame's payload from its first byte to the end of this
   * piece, each byte at its offset in the frame. Then the array of a frame's last piece, if it is
   * exactly as long as the frame, is the whole payload and can be kept without copying.
   */
  public boolean arrayHoldsFrame() {
    return buffer == null && arrayOffset == offset;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(header.opcode().name());
    if (!header.fin()) {
      sb.append(" (not final)");
    }
    if (header.rsv() != 0) {
      sb.append(" rsv=").append(header.rsv());
    }
    sb.append(' ').append(length).append(" bytes");
    if (!isWhole()) {
      sb.append(" at ").append(offset).append(" of ").append(header.payloadLength());
    }
    if (header.opcode() == Opcode.TEXT && length <= 64 && array != null) {
      sb.append(" \"").append(new String(array, arrayOffset, length, StandardCharsets.UTF_8))
          .append('"');
    }
    return sb.toString();
  }
}

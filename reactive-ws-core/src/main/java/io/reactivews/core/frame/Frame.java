package io.reactivews.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A frame, or a contiguous piece of a data frame's payload, with the payload already unmasked.
 *
 * <p>The decoder hands out a data frame in pieces as its bytes arrive, so that a 16 MiB frame is
 * never held twice and UTF-8 can be checked before the frame ends; each piece repeats the frame's
 * {@link #header()} and says where it sits through {@link #offset()}. Control frames are always
 * whole. Frames built for sending with {@link #of} are whole.
 *
 * <p>Frames hold plain byte arrays, never a network buffer, so they need no release and can
 * cross threads freely. The array is not copied: treat it as read-only.
 */
public final class Frame {

  /** The one empty payload, shared: arrays here are never written. */
  static final byte[] EMPTY = new byte[0];

  private final FrameHeader header;
  private final byte[] payload;
  private final long offset;

  Frame(FrameHeader header, byte[] payload, long offset) {
    this.header = header;
    this.payload = payload;
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
    return payload.length;
  }

  /** Whether this piece starts the frame. */
  public boolean startsFrame() {
    return offset == 0;
  }

  /** Whether this piece ends the frame. */
  public boolean endsFrame() {
    return offset + payload.length == header.payloadLength();
  }

  /** Whether this piece is the whole frame. */
  public boolean isWhole() {
    return offset == 0 && payload.length == header.payloadLength();
  }

  /** The unmasked payload of this piece, not a copy: do not modify it. */
  public byte[] payloadArray() {
    return payload;
  }

  /** A read-only view of this piece's payload. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
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
    sb.append(' ').append(payload.length).append(" bytes");
    if (!isWhole()) {
      sb.append(" at ").append(offset).append(" of ").append(header.payloadLength());
    }
    if (header.opcode() == Opcode.TEXT && payload.length <= 64) {
      sb.append(" \"").append(new String(payload, StandardCharsets.UTF_8)).append('"');
    }
    return sb.toString();
  }
}

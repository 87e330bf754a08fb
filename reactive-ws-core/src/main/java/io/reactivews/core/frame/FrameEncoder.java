package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.reactivews.core.Role;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Writes frames to network buffers (RFC 6455 section 5.2). A server's frames go out unmasked; a
 * client's are masked with a fresh key for every frame, eight bytes at a time while copying.
 *
 * <p>Each call returns a new buffer holding one whole frame; the caller owns it and hands it to
 * the transport, which releases it. A payload from an array longer than {@value #SLICE} bytes
 * goes out as a composite of slices of at most that size: allocators pool buffers only up to a
 * size (Netty's adaptive allocator: 1 MiB), and past it each frame would cost a fresh, zeroed
 * direct buffer; slices come from the pools, and the transport writes them with one gathering
 * write, without copying them again. Immutable and thread-safe.
 *
 * <pre>{@code
 * ByteBuf wire = FrameEncoder.forRole(Role.SERVER).encode(alloc, Frame.of(Opcode.TEXT, bytes));
 * }</pre>
 */
public final class FrameEncoder {

  /** The largest buffer asked of the allocator for a payload from an array. */
  static final int SLICE = 64 * 1024;

  private final boolean mask;
  private final IntSupplier keys;

  private FrameEncoder(boolean mask, IntSupplier keys) {
    this.mask = mask;
    this.keys = keys;
  }

  /** The encoder for one end: clients mask with {@link MaskingKeys#secure()}, servers do not. */
  public static FrameEncoder forRole(Role role) {
    return new FrameEncoder(role.masksOutbound(), MaskingKeys.secure());
  }

  /** A client encoder with chosen keys, so that tests can predict the bytes. */
  public static FrameEncoder masking(IntSupplier keys) {
    return new FrameEncoder(true, Objects.requireNonNull(keys, "keys"));
  }

  public boolean masks() {
    return mask;
  }

  /** Encodes one whole frame into a new buffer from {@code alloc}. */
  public ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
    if (!frame.isWhole()) {
      throw new IllegalArgumentException("only whole frames can be encoded: " + frame);
    }
    byte[] payload = frame.payloadArray();
    return encode(alloc, frame.fin(), frame.rsv(), frame.opcode(), payload, 0, payload.length);
  }

  /** Encodes one frame whose payload is {@code length} bytes of {@code payload}. */
  public ByteBuf encode(
      ByteBufAllocator alloc,
      boolean fin,
      int rsv,
      Opcode opcode,
      byte[] payload,
      int offset,
      int length) {
    int first = Math.min(length, SLICE);
    ByteBuf out = alloc.buffer(FrameHeader.lengthOnWire(length, mask) + first);
    int key;
    try {
      key = writeHeader(out, fin, rsv, opcode, length);
      writePayload(payload, offset, first, out, key, 0);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    return first == length ? out : withSlices(alloc, out, payload, offset, length, key);
  }

  /**
   * The frame whose head and first slice are in {@code head}, with the rest of the payload after
   * it in slices. Releases {@code head} (through the composite) if it fails.
   */
  private ByteBuf withSlices(
      ByteBufAllocator alloc, ByteBuf head, byte[] payload, int offset, int length, int key) {
    // As many components as slices, so that the composite never merges them by copying.
    CompositeByteBuf frame;
    try {
      frame = alloc.compositeBuffer((length + SLICE - 1) / SLICE);
    } catch (RuntimeException e) {
      head.release();
      throw e;
    }
    frame.addComponent(true, head); // releases head if it fails
    try {
      for (int done = SLICE; done < length; done += SLICE) {
        int n = Math.min(SLICE, length - done);
        ByteBuf slice = alloc.buffer(n);
        try {
          writePayload(payload, offset + done, n, slice, key, done & 3);
        } catch (RuntimeException e) {
          slice.release();
          throw e;
        }
        frame.addComponent(true, slice); // filled first: adding counts its readable bytes
      }
      return frame;
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  /** Appends payload bytes to {@code out}, masked from {@code phase}: their offset modulo 4. */
  private void writePayload(byte[] payload, int offset, int n, ByteBuf out, int key, int phase) {
    if (mask) {
      Masking.maskInto(payload, offset, n, out, key, phase);
    } else {
      out.writeBytes(payload, offset, n);
    }
  }

  /**
   * Encodes one frame whose payload is {@code length} bytes of {@code payload} from {@code
   * index}, masked straight from there when this encoder masks. Only reads {@code payload}, and
   * moves none of its indexes.
   */
  public ByteBuf encode(
      ByteBufAllocator alloc,
      boolean fin,
      int rsv,
      Opcode opcode,
      ByteBuf payload,
      int index,
      int length) {
    ByteBuf out = alloc.buffer(FrameHeader.lengthOnWire(length, mask) + length);
    try {
      int key = writeHeader(out, fin, rsv, opcode, length);
      if (mask) {
        Masking.maskInto(payload, index, length, out, key, 0);
      } else {
        out.writeBytes(payload, index, length);
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /**
   * Writes a frame header, with a fresh masking key when this encoder masks, and returns the key
   * (0 when unmasked) so the caller can mask the payload that follows.
   */
  public int writeHeader(ByteBuf out, boolean fin, int rsv, Opcode opcode, long length) {
    if (opcode.isControl() && (length > FrameHeader.MAX_CONTROL_PAYLOAD || !fin)) {
      throw new IllegalArgumentException(
          "control frames must be final and at most 125 bytes: " + opcode + " " + length);
    }
    out.ensureWritable(FrameHeader.lengthOnWire(length, mask));
    int at = out.writerIndex();
    out.writerIndex(at + setHead(out, at, fin, rsv, opcode, length, mask));
    if (!mask) {
      return 0;
    }
    int key = keys.getAsInt();
    out.writeInt(key);
    return key;
  }

  /**
   * Writes a frame's first bytes at {@code at} without moving any index: the opcode byte and the
   * length (in the fewest bytes, with the mask bit if {@code masked}), not the masking key.
   * Returns how many bytes that took.
   */
  static int setHead(
      ByteBuf out, int at, boolean fin, int rsv, Opcode opcode, long length, boolean masked) {
    out.setByte(at, (fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode.code());
    int maskBit = masked ? 0x80 : 0;
    if (length <= 125) {
      out.setByte(at + 1, maskBit | (int) length);
      return 2;
    }
    if (length <= 0xFFFF) {
      out.setByte(at + 1, maskBit | 126);
      out.setShort(at + 2, (int) length);
      return 4;
    }
    out.setByte(at + 1, maskBit | 127);
    out.setLong(at + 2, length);
    return 10;
  }
}

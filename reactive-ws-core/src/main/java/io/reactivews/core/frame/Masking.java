package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * XOR masking of payloads (RFC 6455 section 5.3), eight bytes at a time in the platform's byte
 * order, so the loads and stores need no byte swap.
 *
 * <p>Payload byte {@code i} of a frame is XORed with key byte {@code i % 4}. A frame's payload can
 * arrive in pieces, so each method takes the {@code phase}: the payload offset of the first byte,
 * modulo 4. The key is a big-endian int: its high byte masks payload byte 0.
 *
 * <p>Both directions copy while they mask, since the bytes are touched anyway: inbound from the
 * network buffer into an array the application may keep, outbound from the message into the
 * network buffer. Stateless and thread-safe.
 */
public final class Masking {

  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ORDER);

  private Masking() {}

  /** The key rotated so that its high byte masks the byte at {@code phase}. */
  static int rotate(int key, int phase) {
    return Integer.rotateLeft(key, 8 * (phase & 3));
  }

  /** The rotated key repeated over eight bytes, laid out as eight payload bytes load in ORDER. */
  private static long widen(int rotated) {
    long bigEndian = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
    return ORDER == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
  }

  /**
   * Copies {@code length} bytes of {@code src} from {@code srcIndex} into {@code dst}, unmasking
   * them. The source's indexes are not moved.
   */
  public static void unmask(
      ByteBuf src, int srcIndex, byte[] dst, int dstOffset, int length, int key, int phase) {
    if (src.hasArray()) {
      int rotated = rotate(key, phase);
      long mask = widen(rotated);
      byte[] array = src.array();
      int base = src.arrayOffset() + srcIndex;
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        LONGS.set(dst, dstOffset + i, (long) LONGS.get(array, base + i) ^ mask);
      }
      for (; i < length; i++) {
        dst[dstOffset + i] = (byte) (array[base + i] ^ (rotated >>> (24 - 8 * (i & 3))));
      }
      return;
    }
    // A bulk copy out of the direct buffer, then the XOR where the bytes now sit in cache:
    // cheaper than a view of the buffer per frame, or its checked per-word accessors.
    src.getBytes(srcIndex, dst, dstOffset, length);
    maskInPlace(dst, dstOffset, length, key, phase);
  }

  /**
   * Appends {@code length} bytes of {@code src} from {@code srcOffset} to {@code dst}, masking
   * them, and moves the writer index past them.
   */
  public static void maskInto(
      byte[] src, int srcOffset, int length, ByteBuf dst, int key, int phase) {
    int rotated = rotate(key, phase);
    long mask = widen(rotated);
    dst.ensureWritable(length);
    int writerIndex = dst.writerIndex();
    int i = 0;
    if (dst.hasArray()) {
      byte[] array = dst.array();
      int base = dst.arrayOffset() + writerIndex;
      for (; i + 8 <= length; i += 8) {
        LONGS.set(array, base + i, (long) LONGS.get(src, srcOffset + i) ^ mask);
      }
    } else if (dst.nioBufferCount() == 1) {
      // Copy once, then XOR in place through one view of the same memory: no scratch array
      // per frame, and no checked per-word ByteBuf accessors.
      dst.writeBytes(src, srcOffset, length);
      ByteBuffer view = dst.nioBuffer(writerIndex, length).order(ORDER);
      for (; i + 8 <= length; i += 8) {
        view.putLong(i, view.getLong(i) ^ mask);
      }
      for (; i < length; i++) {
        view.put(i, (byte) (view.get(i) ^ (rotated >>> (24 - 8 * (i & 3)))));
      }
      return;
    } else {
      byte[] scratch = Arrays.copyOfRange(src, srcOffset, srcOffset + length);
      maskInPlace(scratch, 0, length, key, phase);
      dst.writeBytes(scratch);
      return;
    }
    for (; i < length; i++) {
      dst.setByte(writerIndex + i, src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
    }
    dst.writerIndex(writerIndex + length);
  }

  /** Masks or unmasks {@code length} bytes of an array in place. */
  public static void maskInPlace(byte[] bytes, int offset, int length, int key, int phase) {
    int rotated = rotate(key, phase);
    long mask = widen(rotated);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      LONGS.set(bytes, offset + i, (long) LONGS.get(bytes, offset + i) ^ mask);
    }
    for (; i < length; i++) {
      bytes[offset + i] ^= (byte) (rotated >>> (24 - 8 * (i & 3)));
    }
  }
}

package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import io.reactivews.core.vector.VectorGate.Use;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Objects;

/**
 * XOR masking of payloads (RFC 6455 section 5.3), as close to the speed of a memory copy as the
 * JIT allows.
 *
 * <p>Payload byte {@code i} of a frame is XORed with key byte {@code i % 4}. A frame's payload can
 * arrive in pieces, so each method takes the {@code phase}: the payload offset of the first byte,
 * modulo 4. The key is a big-endian int: its high byte masks payload byte 0.
 *
 * <p>Two loops. Java 17's JIT vectorises a loop only when all its array indexes share one
 * offset, and never one of eight-byte {@code VarHandle} accesses, which run at a tenth of a copy.
 * So long payloads go through a per-thread {@code long[]} in cache-sized chunks: a bulk copy in
 * through a {@link LongBuffer} view, {@code words[i] ^= mask} (vectorised, as fast as a copy),
 * a bulk copy out. Short payloads, where the views cost more than they save, go eight bytes at a
 * time. Masking allocates nothing but, for long payloads, the views.
 *
 * <p>Out of native memory (a direct network buffer) into an array, where the JVM lets us, one
 * pass does it all: eight bytes read from the buffer's address, XORed and written into the array,
 * the bounds checked once before the loop instead of at every word. That is one pass over the
 * bytes where a copy and an XOR in place are two, and it is the same code for every length, so
 * the compiled unmasking does not change shape as frames change size.
 *
 * <p>Both directions copy while they mask, since the bytes are touched anyway: inbound from the
 * network buffer into an array the application may keep, outbound from the message into the
 * network buffer. Thread-safe.
 *
 * <p>With the JVM started with {@code --add-modules jdk.incubator.vector}, on Java 17 and 18,
 * {@value #VECTORS_FROM} bytes or more unmasked out of native memory into an array (an inbound
 * frame into the message the application gets) go a vector at a time ({@link MaskVectors}) once
 * the warm-up of {@link MaskVectorGate} has shown that faster here: about twice the word loop
 * (RESULTS.md, "Unmasking a vector at a time"). The other paths stay words: in place in native
 * memory the word loop already beats vectors read through {@code ByteBuffer} views, and out of an
 * array they tie. The bytes are the same either way.
 */
public final class Masking {

  /** From this many bytes on, chunks of words beat the word loop. Package-private for tests. */
  static final int CHUNKED_MIN = 2048;
  /**
   * Where a direct buffer's address cannot be read unchecked (no {@code Unsafe}, or a buffer
   * without one): from this many bytes on, unmasking out of it goes through chunks of words; below
   * it, one bulk copy into the target and the word loop in place there run two to six times as
   * fast (16 KiB: about 25 GB/s against 4 to 15), since the chunked path's views and staging cost
   * more per call than a small payload saves. A socket read is at most 64 KiB, so most frames of
   * up to 16 KiB are unmasked in one call. Package-private for tests.
   */
  static final int DIRECT_CHUNKED_MIN = 32 * 1024;
  /** From this many bytes on, unmasking out of native memory uses vectors once they are open. */
  static final int VECTORS_FROM = 256;
  /** Words staged at a time: 4 KiB, well inside L1. */
  static final int CHUNK_WORDS = 512;

  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ORDER);
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Whether words can be read from an address and written into an array unchecked. */
  private static final boolean UNCHECKED_WORDS =
      PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();

  private static final FastThreadLocal<long[]> CHUNK = new FastThreadLocal<>() {
    @Override
    protected long[] initialValue() {
      return new long[CHUNK_WORDS];
    }
  };

  private Masking() {}

  /** Whether unmasking uses vectors now: see {@link io.reactivews.core.VectorUse}. */
  public static boolean usesVectors() {
    return MaskVectorGate.GATE.isOpen();
  }

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
    unmask(src, srcIndex, dst, dstOffset, length, key, phase, Use.WHEN_FASTER);
  }

  static void unmask(ByteBuf src, int srcIndex, byte[] dst, int dstOffset, int length, int key,
      int phase, Use vectors) {
    if (src.hasArray()) {
      xor(src.array(), src.arrayOffset() + srcIndex, dst, dstOffset, length, key, phase);
      return;
    }
    if (src.hasMemoryAddress() && vectorsNow(vectors, length)) {
      Objects.checkFromIndexSize(dstOffset, length, dst.length);
      int done = MaskVectors.unmask(src.nioBuffer(srcIndex, length), 0, dst, dstOffset, length,
          rotate(key, phase));
      srcIndex += done; // a multiple of four: the phase stays
      dstOffset += done;
      length -= done;
    }
    if (UNCHECKED_WORDS && src.hasMemoryAddress()) {
      Objects.checkFromIndexSize(srcIndex, length, src.capacity());
      unmaskFromAddress(src.memoryAddress() + srcIndex, dst, dstOffset, length,
          rotate(key, phase));
    } else if (length < DIRECT_CHUNKED_MIN || src.nioBufferCount() != 1) {
      src.getBytes(srcIndex, dst, dstOffset, length);
      xorWords(dst, dstOffset, dst, dstOffset, length, rotate(key, phase));
    } else {
      int words = length >>> 3;
      LongBuffer from = src.internalNioBuffer(srcIndex, length).slice().order(ORDER).asLongBuffer();
      viaChunks(from, words(dst, dstOffset, length), words, rotate(key, phase));
      int done = words << 3;
      src.getBytes(srcIndex + done, dst, dstOffset + done, length - done);
      xorTail(dst, dstOffset + done, length - done, rotate(key, phase));
    }
  }

  /**
   * Copies {@code length} bytes from native memory at {@code address} into {@code dst}, unmasking
   * them. Unrolled by hand for the same reason as {@link #xorWords}.
   */
  private static void unmaskFromAddress(
      long address, byte[] dst, int dstOffset, int length, int rotated) {
    Objects.checkFromIndexSize(dstOffset, length, dst.length); // once: the loop is unchecked
    long mask = widen(rotated);
    int i = 0;
    for (; i + 32 <= length; i += 32) {
      long from = address + i;
      int to = dstOffset + i;
      PlatformDependent.putLong(dst, to, PlatformDependent.getLong(from) ^ mask);
      PlatformDependent.putLong(dst, to + 8, PlatformDependent.getLong(from + 8) ^ mask);
      PlatformDependent.putLong(dst, to + 16, PlatformDependent.getLong(from + 16) ^ mask);
      PlatformDependent.putLong(dst, to + 24, PlatformDependent.getLong(from + 24) ^ mask);
    }
    for (; i + 8 <= length; i += 8) {
      PlatformDependent.putLong(dst, dstOffset + i, PlatformDependent.getLong(address + i) ^ mask);
    }
    for (; i < length; i++) {
      dst[dstOffset + i] =
          (byte) (PlatformDependent.getByte(address + i) ^ (rotated >>> (24 - 8 * (i & 3))));
    }
  }

  /**
   * Copies {@code length} bytes between native addresses, XORing them; the caller has checked
   * both ranges. Unrolled as {@link #unmaskFromAddress} is.
   */
  private static void maskBetweenAddresses(long from, long to, int length, int rotated) {
    long mask = widen(rotated);
    int i = 0;
    for (; i + 32 <= length; i += 32) {
      PlatformDependent.putLong(to + i, PlatformDependent.getLong(from + i) ^ mask);
      PlatformDependent.putLong(to + i + 8, PlatformDependent.getLong(from + i + 8) ^ mask);
      PlatformDependent.putLong(to + i + 16, PlatformDependent.getLong(from + i + 16) ^ mask);
      PlatformDependent.putLong(to + i + 24, PlatformDependent.getLong(from + i + 24) ^ mask);
    }
    for (; i + 8 <= length; i += 8) {
      PlatformDependent.putLong(to + i, PlatformDependent.getLong(from + i) ^ mask);
    }
    for (; i < length; i++) {
      PlatformDependent.putByte(to + i,
          (byte) (PlatformDependent.getByte(from + i) ^ (rotated >>> (24 - 8 * (i & 3)))));
    }
  }

  /**
   * Appends {@code length} bytes of {@code src} from {@code srcOffset} to {@code dst}, masking
   * them, and moves the writer index past them.
   */
  public static void maskInto(
      byte[] src, int srcOffset, int length, ByteBuf dst, int key, int phase) {
    dst.ensureWritable(length);
    int writerIndex = dst.writerIndex();
    int rotated = rotate(key, phase);
    if (dst.hasArray()) {
      xor(src, srcOffset, dst.array(), dst.arrayOffset() + writerIndex, length, key, phase);
      dst.writerIndex(writerIndex + length);
    } else if (length < CHUNKED_MIN || dst.nioBufferCount() != 1) {
      // Big-endian words through the buffer's own accessors: no view, no scratch.
      long mask = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        dst.writeLong((long) BIG_ENDIAN_LONGS.get(src, srcOffset + i) ^ mask);
      }
      for (; i < length; i++) {
        dst.writeByte(src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
      }
    } else {
      int words = length >>> 3;
      LongBuffer to = dst.internalNioBuffer(writerIndex, length).slice().order(ORDER)
          .asLongBuffer();
      viaChunks(words(src, srcOffset, length), to, words, rotated);
      dst.writerIndex(writerIndex + (words << 3));
      for (int i = words << 3; i < length; i++) {
        dst.writeByte(src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
      }
    }
  }

  /**
   * Appends {@code length} bytes of {@code src} from {@code srcIndex} to {@code dst}, masking
   * them, and moves the writer index past them. The source is only read, through absolute
   * accessors and its own views, so it may be shared with other threads.
   */
  public static void maskInto(
      ByteBuf src, int srcIndex, int length, ByteBuf dst, int key, int phase) {
    if (src.hasArray()) {
      maskInto(src.array(), src.arrayOffset() + srcIndex, length, dst, key, phase);
      return;
    }
    dst.ensureWritable(length);
    int rotated = rotate(key, phase);
    int done = 0;
    if (UNCHECKED_WORDS && src.hasMemoryAddress() && dst.hasMemoryAddress()) {
      // Native to native (a read buffer into a pooled frame): one pass, as out of an address.
      Objects.checkFromIndexSize(srcIndex, length, src.capacity());
      int writerIndex = dst.writerIndex();
      maskBetweenAddresses(src.memoryAddress() + srcIndex, dst.memoryAddress() + writerIndex,
          length, rotated);
      dst.writerIndex(writerIndex + length);
      return;
    }
    if (length >= CHUNKED_MIN && src.nioBufferCount() == 1 && dst.nioBufferCount() == 1) {
      int writerIndex = dst.writerIndex();
      // nioBuffer, not internalNioBuffer: the shared source's cached view is not ours to move.
      LongBuffer from = src.nioBuffer(srcIndex, length).order(ORDER).asLongBuffer();
      LongBuffer to = dst.hasArray()
          ? words(dst.array(), dst.arrayOffset() + writerIndex, length)
          : dst.internalNioBuffer(writerIndex, length).slice().order(ORDER).asLongBuffer();
      int words = length >>> 3;
      viaChunks(from, to, words, rotated);
      done = words << 3;
      dst.writerIndex(writerIndex + done);
    } else {
      long mask = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
      for (; done + 8 <= length; done += 8) {
        dst.writeLong(src.getLong(srcIndex + done) ^ mask);
      }
    }
    for (int i = done; i < length; i++) {
      dst.writeByte(src.getByte(srcIndex + i) ^ (rotated >>> (24 - 8 * (i & 3))));
    }
  }

  /** Masks or unmasks {@code length} bytes of a buffer in place, from {@code index}. */
  public static void maskInPlace(ByteBuf buf, int index, int length, int key, int phase) {
    if (buf.hasArray()) {
      maskInPlace(buf.array(), buf.arrayOffset() + index, length, key, phase);
    } else if (UNCHECKED_WORDS && buf.hasMemoryAddress()) {
      Objects.checkFromIndexSize(index, length, buf.capacity());
      long address = buf.memoryAddress() + index;
      maskBetweenAddresses(address, address, length, rotate(key, phase));
    } else {
      int rotated = rotate(key, phase);
      long mask = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        buf.setLong(index + i, buf.getLong(index + i) ^ mask);
      }
      for (; i < length; i++) {
        buf.setByte(index + i, buf.getByte(index + i) ^ (rotated >>> (24 - 8 * (i & 3))));
      }
    }
  }

  /**
   * Whether {@code length} bytes go through vectors now: {@code ALWAYS} at any length, for tests;
   * as the gate says (the first ask starts its warm-up) from {@value #VECTORS_FROM} bytes.
   */
  private static boolean vectorsNow(Use vectors, int length) {
    return vectors == Use.ALWAYS
        || length >= VECTORS_FROM && MaskVectorGate.GATE.allows(vectors);
  }

  /** Masks or unmasks {@code length} bytes of an array in place. */
  public static void maskInPlace(byte[] bytes, int offset, int length, int key, int phase) {
    xor(bytes, offset, bytes, offset, length, key, phase);
  }

  private static void xor(
      byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int key, int phase) {
    int rotated = rotate(key, phase);
    if (length < CHUNKED_MIN) {
      xorWords(src, srcOffset, dst, dstOffset, length, rotated);
      return;
    }
    int words = length >>> 3;
    viaChunks(words(src, srcOffset, length), words(dst, dstOffset, length), words, rotated);
    int done = words << 3;
    for (int i = done; i < length; i++) {
      dst[dstOffset + i] = (byte) (src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
    }
  }

  private static LongBuffer words(byte[] bytes, int offset, int length) {
    return ByteBuffer.wrap(bytes, offset, length).slice().order(ORDER).asLongBuffer();
  }

  /** Copies {@code words} words from one view to the other through the chunk, XORing them. */
  private static void viaChunks(LongBuffer from, LongBuffer to, int words, int rotated) {
    long mask = widen(rotated);
    long[] chunk = CHUNK.get();
    for (int i = 0; i < words; i += CHUNK_WORDS) {
      int n = Math.min(CHUNK_WORDS, words - i);
      from.get(i, chunk, 0, n);
      xorChunk(chunk, n, mask);
      to.put(i, chunk, 0, n);
    }
  }

  /** All indexes share one offset (none): the shape the JIT vectorises. */
  private static void xorChunk(long[] chunk, int n, long mask) {
    for (int i = 0; i < n; i++) {
      chunk[i] ^= mask;
    }
  }

  /**
   * Eight bytes at a time, then the tail. Unrolled by hand: the JIT does not unroll a loop of
   * {@code VarHandle} accesses, and four words per turn run 2.5 times as fast at 64 bytes.
   */
  private static void xorWords(
      byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int rotated) {
    long mask = widen(rotated);
    int i = 0;
    for (; i + 32 <= length; i += 32) {
      int s = srcOffset + i;
      int d = dstOffset + i;
      LONGS.set(dst, d, (long) LONGS.get(src, s) ^ mask);
      LONGS.set(dst, d + 8, (long) LONGS.get(src, s + 8) ^ mask);
      LONGS.set(dst, d + 16, (long) LONGS.get(src, s + 16) ^ mask);
      LONGS.set(dst, d + 24, (long) LONGS.get(src, s + 24) ^ mask);
    }
    for (; i + 8 <= length; i += 8) {
      LONGS.set(dst, dstOffset + i, (long) LONGS.get(src, srcOffset + i) ^ mask);
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = (byte) (src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
    }
  }

  /** The last bytes of a chunked payload, in place; they start at a multiple of eight. */
  private static void xorTail(byte[] bytes, int offset, int length, int rotated) {
    for (int i = 0; i < length; i++) {
      bytes[offset + i] ^= (byte) (rotated >>> (24 - 8 * (i & 3)));
    }
  }
}

package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.InboundSource.Memory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 6455 section 5.3: "octet i of the transformed data is the XOR of octet i of the original
 * data with octet at index i modulo 4 of the masking key". Every method is compared with a
 * byte-by-byte reference for lengths 0 to 40 (below, at and past the eight-byte stride) and
 * every phase, on direct and heap buffers at non-zero indexes, with guard bytes around the
 * target so a write out of bounds shows.
 */
class MaskingTest {

  private static final int[] KEYS = {0x37fa213d, 0x00000000, 0xffffffff, 0x01020304, 0x80000001};
  private static final int MAX_LENGTH = 40;
  private static final int CHUNK = Masking.CHUNK_WORDS * 8;
  /**
   * Lengths that take the chunked paths: around their thresholds (the direct source's is its
   * own), a chunk, and past two chunks.
   */
  private static final int[] LONG_LENGTHS = {
    Masking.CHUNKED_MIN - 1, Masking.CHUNKED_MIN, Masking.CHUNKED_MIN + 1,
    Masking.CHUNKED_MIN + 7, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 13,
    Masking.DIRECT_CHUNKED_MIN - 1, Masking.DIRECT_CHUNKED_MIN, Masking.DIRECT_CHUNKED_MIN + 5
  };

  /** 0 to MAX_LENGTH, then the long lengths. */
  static int[] lengths() {
    int[] lengths = new int[MAX_LENGTH + 1 + LONG_LENGTHS.length];
    for (int i = 0; i <= MAX_LENGTH; i++) {
      lengths[i] = i;
    }
    System.arraycopy(LONG_LENGTHS, 0, lengths, MAX_LENGTH + 1, LONG_LENGTHS.length);
    return lengths;
  }
  private static final byte GUARD = (byte) 0x5A;

  /** The reference: byte {@code i} of a piece at {@code phase} uses key byte (phase + i) % 4. */
  static byte[] reference(byte[] data, int key, int phase) {
    byte[] out = data.clone();
    for (int i = 0; i < out.length; i++) {
      int keyByte = (phase + i) % 4;
      out[i] ^= (byte) (key >>> (24 - 8 * keyByte));
    }
    return out;
  }

  private static ByteBuf allocate(Memory memory, int capacity) {
    return memory == Memory.DIRECT
        ? PooledByteBufAllocator.DEFAULT.directBuffer(capacity)
        : PooledByteBufAllocator.DEFAULT.heapBuffer(capacity);
  }

  /**
   * Where unmasking reads from: a heap buffer, a pooled direct buffer (read through its address
   * where the JVM allows), and a direct buffer with no address (the bulk copy and chunked paths).
   */
  enum Source {
    HEAP,
    DIRECT,
    DIRECT_WITHOUT_ADDRESS;

    ByteBuf allocate(int capacity) {
      return switch (this) {
        case HEAP -> MaskingTest.allocate(Memory.HEAP, capacity);
        case DIRECT -> MaskingTest.allocate(Memory.DIRECT, capacity);
        case DIRECT_WITHOUT_ADDRESS -> withoutAddress(capacity);
      };
    }

    /**
     * Netty's unpooled direct buffer has no address on Java 17, but gets one on later releases;
     * this one hides it on every release, so the path for buffers without one stays tested.
     */
    private static ByteBuf withoutAddress(int capacity) {
      return new UnpooledDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, capacity, capacity) {
        @Override
        public boolean hasMemoryAddress() {
          return false;
        }

        @Override
        public long memoryAddress() {
          throw new UnsupportedOperationException();
        }
      };
    }
  }

  @Test
  void aDirectBufferWithoutAnAddressIsOne() {
    ByteBuf buf = Source.DIRECT_WITHOUT_ADDRESS.allocate(8);
    try {
      assertFalse(buf.hasMemoryAddress() || buf.hasArray());
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void unmaskMatchesTheReference(Source memory) {
    for (int key : KEYS) {
      for (int length : lengths()) {
        for (int phase = 0; phase < 4; phase++) {
          byte[] data = Bytes.pattern(length);
          ByteBuf src = memory.allocate(length + 10);
          try {
            src.writeBytes(Bytes.hex("aa bb cc dd ee")).writeBytes(data).writeByte(0xff);
            src.readerIndex(2);
            byte[] dst = new byte[length + 6];
            Arrays.fill(dst, GUARD);
            Masking.unmask(src, 5, dst, 3, length, key, phase);
            String where = memory + " key " + Integer.toHexString(key) + " length " + length
                + " phase " + phase;
            assertArrayEquals(reference(data, key, phase), Arrays.copyOfRange(dst, 3, 3 + length),
                where);
            assertGuards(dst, 3, length, where);
            assertEquals(2, src.readerIndex(), where);
            assertEquals(5 + length + 1, src.writerIndex(), where);
            assertArrayEquals(data, ByteBufUtil.getBytes(src, 5, length), "source untouched");
          } finally {
            src.release();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void maskIntoMatchesTheReference(Memory memory) {
    for (int key : KEYS) {
      for (int length : lengths()) {
        for (int phase = 0; phase < 4; phase++) {
          byte[] data = Bytes.pattern(length + 4);
          byte[] original = data.clone();
          // A small buffer, so that the write has to grow it.
          ByteBuf dst = allocate(memory, 8);
          try {
            dst.writeBytes(Bytes.hex("01 02 03"));
            Masking.maskInto(data, 2, length, dst, key, phase);
            String where = memory + " key " + Integer.toHexString(key) + " length " + length
                + " phase " + phase;
            assertEquals(3 + length, dst.writerIndex(), where);
            assertArrayEquals(Bytes.hex("01 02 03"), ByteBufUtil.getBytes(dst, 0, 3), where);
            assertArrayEquals(reference(Arrays.copyOfRange(data, 2, 2 + length), key, phase),
                ByteBufUtil.getBytes(dst, 3, length), where);
            assertArrayEquals(original, data, "source untouched");
          } finally {
            dst.release();
          }
        }
      }
    }
  }

  /** A shared source buffer, read at an index, masked into a growing buffer of either kind. */
  @ParameterizedTest
  @EnumSource(Memory.class)
  void maskIntoFromABufferMatchesTheReference(Memory sourceMemory) {
    for (Memory targetMemory : Memory.values()) {
      for (int length : lengths()) {
        for (int phase = 0; phase < 4; phase++) {
          int key = KEYS[(length + phase) % KEYS.length];
          byte[] data = Bytes.pattern(length);
          ByteBuf src = allocate(sourceMemory, length + 6);
          ByteBuf dst = allocate(targetMemory, 8);
          try {
            src.writeBytes(Bytes.hex("aa bb cc dd ee")).writeBytes(data).writeByte(0xff);
            src.readerIndex(1);
            dst.writeBytes(Bytes.hex("01 02 03"));
            Masking.maskInto(src, 5, length, dst, key, phase);
            String where = sourceMemory + " into " + targetMemory + " key "
                + Integer.toHexString(key) + " length " + length + " phase " + phase;
            assertEquals(3 + length, dst.writerIndex(), where);
            assertArrayEquals(Bytes.hex("01 02 03"), ByteBufUtil.getBytes(dst, 0, 3), where);
            assertArrayEquals(reference(data, key, phase), ByteBufUtil.getBytes(dst, 3, length),
                where);
            assertEquals(1, src.readerIndex(), where);
            assertEquals(5 + length + 1, src.writerIndex(), where);
            assertArrayEquals(data, ByteBufUtil.getBytes(src, 5, length), "source untouched");
          } finally {
            src.release();
            dst.release();
          }
        }
      }
    }
  }

  @Test
  void maskInPlaceMatchesTheReference() {
    for (int key : KEYS) {
      for (int length : lengths()) {
        for (int phase = 0; phase < 4; phase++) {
          byte[] data = Bytes.pattern(length);
          byte[] buffer = new byte[length + 6];
          Arrays.fill(buffer, GUARD);
          System.arraycopy(data, 0, buffer, 3, length);
          Masking.maskInPlace(buffer, 3, length, key, phase);
          String where =
              "key " + Integer.toHexString(key) + " length " + length + " phase " + phase;
          assertArrayEquals(reference(data, key, phase), Arrays.copyOfRange(buffer, 3, 3 + length),
              where);
          assertGuards(buffer, 3, length, where);
          Masking.maskInPlace(buffer, 3, length, key, phase);
          assertArrayEquals(data, Arrays.copyOfRange(buffer, 3, 3 + length), "twice is identity");
        }
      }
    }
  }

  /** Masking a payload in pieces, each at its own phase, equals masking it whole. */
  @ParameterizedTest
  @EnumSource(Memory.class)
  void piecesAtTheirPhasesEqualTheWhole(Memory memory) {
    byte[] data = Bytes.pattern(37);
    int key = 0x9abcdef0;
    byte[] whole = reference(data, key, 0);
    for (int cut = 0; cut <= data.length; cut++) {
      ByteBuf src = allocate(memory, data.length);
      try {
        src.writeBytes(data);
        byte[] dst = new byte[data.length];
        Masking.unmask(src, 0, dst, 0, cut, key, 0);
        Masking.unmask(src, cut, dst, cut, data.length - cut, key, cut % 4);
        assertArrayEquals(whole, dst, "cut at " + cut);
      } finally {
        src.release();
      }
    }
  }

  private static void assertGuards(byte[] dst, int offset, int length, String where) {
    for (int i = 0; i < dst.length; i++) {
      if (i < offset || i >= offset + length) {
        assertEquals(GUARD, dst[i], where + ": byte " + i + " outside the target was written");
      }
    }
  }
}

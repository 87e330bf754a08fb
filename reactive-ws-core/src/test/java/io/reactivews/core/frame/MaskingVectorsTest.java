package io.reactivews.core.frame;

import static io.reactivews.core.frame.MaskingTest.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.vector.VectorGate.Use;
import io.reactivews.testing.Bytes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames unmasked out of native memory a vector at a time ({@link MaskVectors}, which the
 * surefire configuration makes available as an application would, with {@code --add-modules
 * jdk.incubator.vector}), held to the byte-by-byte reference. Lengths run across one vector, the
 * four-vector stride and their tails, at every phase and at odd indexes, with guard bytes around
 * the target. On a JDK whose incubating API no longer reads a {@code ByteBuffer} the class is
 * skipped, as the gate skips the vectors.
 */
class MaskingVectorsTest {

  private static final int[] KEYS = {0x37fa213d, 0xffffffff, 0x80000001};
  private static final byte GUARD = (byte) 0x5A;
  private static final int[] LONG_LENGTHS = {1000, 4096, 4099, 16384 + 13, 70_001};

  @BeforeAll
  static void vectorsLinkHere() {
    ByteBuffer probe = ByteBuffer.allocateDirect(64);
    boolean linked;
    try {
      MaskVectors.unmask(probe, 0, new byte[64], 0, 64, 0);
      linked = true;
    } catch (LinkageError notThisJdk) {
      linked = false;
    }
    assumeTrue(linked, "this JDK's Vector API reads no ByteBuffer");
  }

  /** 0 to 300 (every tail of up to four 64-byte vectors), then long ones. */
  private static int[] lengths() {
    int[] lengths = new int[301 + LONG_LENGTHS.length];
    for (int i = 0; i <= 300; i++) {
      lengths[i] = i;
    }
    System.arraycopy(LONG_LENGTHS, 0, lengths, 301, LONG_LENGTHS.length);
    return lengths;
  }

  @Test
  void outOfABufferIntoAnArrayMatchesTheReference() {
    for (int length : lengths()) {
      for (int phase = 0; phase < 4; phase++) {
        int key = KEYS[(length + phase) % KEYS.length];
        byte[] data = Bytes.pattern(length);
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(length + 6);
        try {
          src.writeBytes(guards(5)).writeBytes(data).writeByte(0xff);
          byte[] dst = new byte[length + 6];
          Arrays.fill(dst, GUARD);
          Masking.unmask(src, 5, dst, 1, length, key, phase, Use.ALWAYS);
          String where = where("into an array", key, length, phase);
          assertArrayEquals(reference(data, key, phase), Arrays.copyOfRange(dst, 1, 1 + length),
              where);
          for (int i = 0; i < dst.length; i++) {
            if (i < 1 || i >= 1 + length) {
              assertEquals(GUARD, dst[i], where + ": byte " + i + " outside the target");
            }
          }
          assertArrayEquals(data, ByteBufUtil.getBytes(src, 5, length), "source untouched");
        } finally {
          src.release();
        }
      }
    }
  }

  /** Unmasking a payload in pieces, each at its own phase, equals unmasking it whole. */
  @Test
  void piecesAtTheirPhasesEqualTheWhole() {
    byte[] data = Bytes.pattern(1031);
    int key = 0x9abcdef0;
    byte[] whole = reference(data, key, 0);
    ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
    try {
      src.writeBytes(data);
      for (int cut = 0; cut <= data.length; cut += 7) {
        byte[] dst = new byte[data.length];
        Masking.unmask(src, 0, dst, 0, cut, key, 0, Use.ALWAYS);
        Masking.unmask(src, cut, dst, cut, data.length - cut, key, cut % 4, Use.ALWAYS);
        assertArrayEquals(whole, dst, "cut at " + cut);
      }
    } finally {
      src.release();
    }
  }

  /** The gate decides within its limit; whatever it decides, unmasking gives the reference. */
  @Test
  void theWarmUpDecides() throws InterruptedException {
    assertTrue(MaskVectorGate.GATE.awaitDecision(60, TimeUnit.SECONDS),
        "the warm-up never ended");
    byte[] data = Bytes.pattern(20_000);
    ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
    try {
      src.writeBytes(data);
      byte[] dst = new byte[data.length];
      Masking.unmask(src, 0, dst, 0, data.length, KEYS[0], 1);
      assertArrayEquals(reference(data, KEYS[0], 1), dst);
    } finally {
      src.release();
    }
  }

  private static byte[] guards(int n) {
    byte[] guards = new byte[n];
    Arrays.fill(guards, GUARD);
    return guards;
  }

  private static String where(String path, int key, int length, int phase) {
    return path + " key " + Integer.toHexString(key) + " length " + length + " phase " + phase;
  }
}

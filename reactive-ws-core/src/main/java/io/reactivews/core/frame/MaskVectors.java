package io.reactivews.core.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unmasking a vector of bytes at a time, with the JDK's incubating Vector API, out of native
 * memory into an array: an inbound frame in the socket's direct buffer into the message the
 * application gets. Only {@link MaskVectorGate}'s warm-up and {@link Masking}, once that gate is
 * open, load this class.
 *
 * <p>Java 17 lets vectors read native memory through a {@link ByteBuffer} view ({@code
 * fromByteBuffer}). Later releases replaced that method with a {@code MemorySegment} one: there
 * the warm-up fails to link this class's call and the gate stays shut, so unmasking stays as it
 * is without the module.
 */
final class MaskVectors {

  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = BYTES.vectorShape().withLanes(int.class);
  private static final int LANES = BYTES.length();
  /** Byte lanes do not care; the API asks. */
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private MaskVectors() {}

  /**
   * XORs whole vectors of {@code length} bytes of {@code from} at its absolute {@code fromIndex}
   * into {@code to} at {@code toOffset}.
   *
   * @param rotated the key rotated so that its high byte masks the first byte
   * @return the bytes done: a multiple of the vector's length, so of four, so the caller unmasks
   *     the rest with the same rotated key
   */
  static int unmask(ByteBuffer from, int fromIndex, byte[] to, int toOffset, int length,
      int rotated) {
    // Lanes reinterpret in little-endian order: the key's bytes go in reversed.
    ByteVector key = IntVector.broadcast(INTS, Integer.reverseBytes(rotated)).reinterpretAsBytes();
    int i = 0;
    for (; i + LANES <= length; i += LANES) {
      ByteVector.fromByteBuffer(BYTES, from, fromIndex + i, ORDER)
          .lanewise(VectorOperators.XOR, key).intoArray(to, toOffset + i);
    }
    return i;
  }
}

package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactivews.core.vector.VectorGate;
import io.reactivews.core.vector.VectorGate.Use;

/**
 * Whether {@link Masking} unmasks native memory with {@link MaskVectors}: a {@link VectorGate}
 * whose warm-up unmasks the same frames with and without vectors, at lengths and offsets that
 * leave tails, so the compiled code has seen them all.
 */
final class MaskVectorGate {

  static final VectorGate GATE = new VectorGate("unmasking", MaskVectorGate::trial);

  private static final int[] LENGTHS = {300, 1027, 4096, 16381};
  private static final int KEY = 0x5A3C_96E1;

  private MaskVectorGate() {}

  private static VectorGate.Trial trial() {
    ByteBuf read = Unpooled.directBuffer(16384 + 7);
    for (int i = 0; i < read.capacity(); i++) {
      read.writeByte(i * 31 + (i >>> 7));
    }
    byte[] vectors = new byte[read.capacity()];
    byte[] plain = new byte[read.capacity()];
    return new VectorGate.Trial() {
      private int turn;

      @Override
      public long withVectors() {
        return unmaskAll(read, vectors, turn, Use.ALWAYS);
      }

      @Override
      public long plain() {
        return unmaskAll(read, plain, turn++, Use.NEVER);
      }

      @Override
      public void close() {
        read.release();
      }
    };
  }

  /** Unmasks a frame of each length from the read into {@code array}; folds what it got. */
  private static long unmaskAll(ByteBuf read, byte[] array, int turn, Use use) {
    long folded = 0;
    for (int length : LENGTHS) {
      int at = 1 + (turn & 3);
      Masking.unmask(read, at, array, at + 2, length, KEY, turn & 3, use);
      folded = folded * 31 + array[at + 2 + length / 2] + 7L * array[at + 1 + length];
    }
    return folded;
  }
}

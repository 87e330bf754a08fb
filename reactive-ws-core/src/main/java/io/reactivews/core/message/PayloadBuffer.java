package io.reactivews.core.message;

import java.util.Arrays;

/**
 * The growing payload of a message being assembled from fragments. When the final size is
 * known up front (one frame that arrived in pieces) it allocates exactly once, and hands its
 * array over without a copy. Not thread-safe.
 */
final class PayloadBuffer {

  /** The largest array the JVM reliably allocates. */
  static final int MAX_SIZE = Integer.MAX_VALUE - 8;

  private byte[] bytes;
  private int size;

  PayloadBuffer(long expected) {
    this.bytes = new byte[(int) Math.max(16, expected)];
  }

  int size() {
    return size;
  }

  void append(byte[] piece) {
    if (size + piece.length > bytes.length) {
      long grown = Math.max((long) size + piece.length, (long) bytes.length * 2);
      bytes = Arrays.copyOf(bytes, (int) Math.min(grown, MAX_SIZE));
    }
    System.arraycopy(piece, 0, bytes, size, piece.length);
    size += piece.length;
  }

  /** The bytes appended so far; the buffer must not be used afterwards. */
  byte[] take() {
    byte[] result = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    bytes = null;
    return result;
  }
}

package io.reactivews.core.message;

import java.util.Arrays;

/**
 * The growing payload of a message being assembled from pieces. It grows as bytes arrive, never
 * past the size announced by the frame header, so a peer that announces a large frame and sends
 * one byte costs us {@value #FIRST_CHUNK} bytes, not the announced size; a buffer that ends
 * exactly full is handed over without a copy. Not thread-safe.
 */
final class PayloadBuffer {

  /** The largest array the JVM reliably allocates. */
  static final int MAX_SIZE = Integer.MAX_VALUE - 8;

  /** The most allocated before the bytes are actually here. */
  static final int FIRST_CHUNK = 64 * 1024;

  private final long expected;
  private byte[] bytes;
  private int size;

  /** A buffer for a payload of {@code expected} bytes, or more if frames follow. */
  PayloadBuffer(long expected) {
    this.expected = expected;
    this.bytes = new byte[(int) Math.max(16, Math.min(expected, FIRST_CHUNK))];
  }

  int size() {
    return size;
  }

  void append(byte[] piece) {
    append(piece, 0, piece.length);
  }

  void append(byte[] array, int offset, int length) {
    if (size + length > bytes.length) {
      long needed = (long) size + length;
      long grown = Math.max(needed, (long) bytes.length * 2);
      if (needed <= expected) {
        grown = Math.min(grown, expected); // do not overshoot the announced size
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(grown, MAX_SIZE));
    }
    System.arraycopy(array, offset, bytes, size, length);
    size += length;
  }

  /** The bytes appended so far; the buffer must not be used afterwards. */
  byte[] take() {
    byte[] result = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    bytes = null;
    return result;
  }
}

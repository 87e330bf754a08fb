package io.reactivews.core.deflate;

import io.reactivews.core.deflate.ZlibPool.DeflaterSlot;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages as RFC 7692 section 7.2.1 says: raw DEFLATE ended with a sync
 * flush, whose {@code 00 00 ff ff} tail is then taken off. A compressor that keeps no context
 * borrows a pooled {@code Deflater} per message; one that keeps context owns one, made at its
 * first message and ended by {@link #release()}. Thread-safe: a session's writes are serialized
 * already, and the lock only orders them with the release at the close.
 *
 * <p>A message that does not shrink (already compressed data) is not worth sending compressed,
 * and would make a frame longer than the message, possibly past the peer's frame limit: then
 * the sink is not called and the message goes out plain. A compressor that keeps context
 * starts afresh after it, since the peer's window will not hold what was compressed.
 */
final class Compressor {

  private final int shape;
  private final boolean resets;
  private DeflaterSlot dedicated; // guarded by "this"
  private boolean released; // guarded by "this"

  Compressor(int shape, boolean resets) {
    this.shape = shape;
    this.resets = resets;
  }

  /** Whether each message is compressed on its own, so its bytes suit any session alike. */
  boolean resets() {
    return resets;
  }

  int shape() {
    return shape;
  }

  /**
   * Compresses the remaining bytes of {@code payload} (its position is not kept) and hands the
   * result to {@code sink}, whose return value this returns; the array it sees is only valid
   * during the call. Returns null, without calling the sink, when compression did not shrink it.
   */
  synchronized <T> T compress(ByteBuffer payload, Sink<T> sink) {
    if (released) {
      throw new IllegalStateException("the compressor was released");
    }
    if (resets) {
      return compressOnce(shape, payload, sink);
    }
    if (dedicated == null) {
      dedicated = new DeflaterSlot(shape / 2, (shape & 1) != 0);
    }
    int length = payload.remaining();
    int n = deflate(dedicated, payload);
    if (n >= length && length > 0) {
      dedicated.deflater.reset();
      return null;
    }
    return sink.take(dedicated.scratch, n);
  }

  /** Compresses with a pooled {@code Deflater} of {@code shape}, keeping no context. */
  static <T> T compressOnce(int shape, ByteBuffer payload, Sink<T> sink) {
    DeflaterSlot slot = ZlibPool.deflater(shape);
    try {
      int length = payload.remaining();
      int n = deflate(slot, payload);
      return n >= length && length > 0 ? null : sink.take(slot.scratch, n);
    } finally {
      ZlibPool.release(slot);
    }
  }

  /** Ends a dedicated {@code Deflater} now, freeing its native memory; idempotent. */
  synchronized void release() {
    released = true;
    if (dedicated != null) {
      dedicated.deflater.end();
      dedicated = null;
    }
  }

  /** Deflates into the slot's array and returns how many bytes it holds, tail removed. */
  private static int deflate(DeflaterSlot slot, ByteBuffer payload) {
    Deflater deflater = slot.deflater;
    int length = payload.remaining();
    deflater.setInput(payload);
    // Stored blocks bound the output: a little over the input, plus the flush.
    int bound = length + (length >> 10) + 64;
    if (slot.scratch.length < bound) {
      slot.scratch = new byte[bound];
    }
    byte[] out = slot.scratch;
    int n = 0;
    for (; ; ) {
      int space = out.length - n;
      int got = deflater.deflate(out, n, space, Deflater.SYNC_FLUSH);
      n += got;
      if (got < space && deflater.needsInput()) {
        break; // all input taken and the flush fitted
      }
      if (got == space) {
        out = Arrays.copyOf(out, out.length * 2);
        slot.scratch = out;
      }
    }
    if (n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == -1 && out[n - 1] == -1) {
      n -= 4;
    }
    return n;
  }

  /** Takes compressed bytes out of a borrowed array. */
  @FunctionalInterface
  interface Sink<T> {
    T take(byte[] compressed, int length);
  }
}

package io.reactivews.core.deflate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The compressed frames of one message written to many sessions (a broadcast): one unmasked
 * frame with RSV1 per compressor shape, made by the first session of that shape that writes it
 * and written by every later one. Without context takeover a compressed message depends only on
 * its bytes and the shape, so this is one compression for any number of sessions.
 *
 * <p>Owns one reference to each frame, given up by {@link #release()}; each write takes its own
 * (a retained duplicate, or a masked copy for a client). Thread-safe.
 */
public final class SharedFrames {

  /** Frames by shape; guarded by "this". */
  private ByteBuf[] frames = new ByteBuf[0];
  /** Their payload sizes by shape: 0 not tried yet, -1 tried and it did not shrink. */
  private int[] sizes = new int[0];
  private boolean released;

  /**
   * The buffer to write for a session of {@code deflate}: the shared frame of its shape
   * (compressed now if this is the first), or a frame of its own when it keeps context; null
   * when the message does not shrink, to be written plain. The caller owns the result.
   *
   * @param payload the message's payload, asked for only if it must be compressed
   * @param size the payload's size
   */
  public ByteBuf write(PerMessageDeflate deflate, Opcode opcode, Supplier<ByteBuffer> payload,
      int size, FrameEncoder encoder, ByteBufAllocator alloc) {
    int shape = deflate.sharedShape();
    if (shape < 0) {
      return deflate.encodeCompressed(opcode, payload.get(), encoder, alloc);
    }
    ByteBuf shared;
    int compressed;
    synchronized (this) {
      if (released) {
        throw new IllegalStateException("the shared frames were released");
      }
      if (frames.length <= shape) {
        frames = Arrays.copyOf(frames, shape + 1);
        sizes = Arrays.copyOf(sizes, shape + 1);
      }
      if (sizes[shape] == 0) {
        ByteBuf made = deflate.compressShared(opcode, payload.get(), alloc);
        frames[shape] = made;
        sizes[shape] = made == null ? -1 : made.readableBytes() - headerLength(made);
      }
      shared = frames[shape];
      compressed = sizes[shape];
    }
    if (shared == null) {
      return null;
    }
    deflate.countShared(size, compressed);
    if (!encoder.masks()) {
      return shared.retainedDuplicate();
    }
    int header = shared.readableBytes() - compressed;
    return encoder.encode(alloc, true, FrameHeader.RSV1, opcode, shared,
        shared.readerIndex() + header, compressed);
  }

  /** Gives up this holder's reference to every frame; idempotent. */
  public void release() {
    ByteBuf[] held;
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      held = frames;
      frames = new ByteBuf[0];
    }
    for (ByteBuf frame : held) {
      if (frame != null) {
        frame.release();
      }
    }
  }

  /** How many compressed frames were made: for tests and metrics. */
  public synchronized int count() {
    int n = 0;
    for (ByteBuf frame : frames) {
      n += frame == null ? 0 : 1;
    }
    return n;
  }

  /** Whether {@code written} reads the memory of one of these frames. */
  public synchronized boolean holds(ByteBuf written) {
    for (ByteBuf frame : frames) {
      if (frame != null && root(frame) == root(written)) {
        return true;
      }
    }
    return false;
  }

  /** The header length of an unmasked frame: 2, 4 or 10 bytes, from its length byte. */
  private static int headerLength(ByteBuf frame) {
    int length7 = frame.getByte(frame.readerIndex() + 1) & 0x7F;
    return length7 == 127 ? 10 : length7 == 126 ? 4 : 2;
  }

  private static ByteBuf root(ByteBuf buf) {
    ByteBuf b = buf;
    while (b.unwrap() != null) {
      b = b.unwrap();
    }
    return b;
  }
}

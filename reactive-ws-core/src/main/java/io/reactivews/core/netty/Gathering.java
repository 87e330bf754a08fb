package io.reactivews.core.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Small frames written to one channel in one event-loop turn, copied into one buffer: each
 * channel write costs a trip through the pipeline and an entry in the outbound buffer, far more
 * than copying a few dozen bytes, so a burst of small frames (a broadcast's ticks, pongs) goes
 * out as one write. A frame alone is written as it is, without a copy; a large frame is never
 * copied, and ends the gathering so the order of bytes stays the order of frames.
 *
 * <p>Event-loop confined. It holds buffers only until the turn's end, when the writer takes
 * them. The channel's writer extends it rather than holding one: a broadcast touches each of
 * thousands of writers once per message, and each object on that path is a cache miss.
 */
class Gathering {

  /** Frames up to this size are copied; larger ones are written as they are. */
  static final int SMALL = 1024;
  /**
   * A gathered buffer is handed over once it holds this much; the next frames start another,
   * and a flush writes them all in one call. Kept small on purpose: a fan-out holds one
   * channel's buffers until the turn ends, and the same bytes held in 16 KiB buffers (compressed
   * frames to a thousand channels) made the allocator free and map fresh memory every turn,
   * where 4 KiB ones are reused.
   */
  static final int CAPACITY = 4 * 1024;

  private final ByteBufAllocator alloc;
  /** The first small frame, kept as it is until a second one arrives. */
  private ByteBuf held;
  /** The copies, once two or more small frames arrived. */
  private ByteBuf gathered;
  /** How many bytes the last gathered buffer held: the size to ask for next time. */
  private int lastGathered;

  Gathering(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /**
   * Takes {@code frame} (and its reference); returns a buffer to write now, before anything kept,
   * or null. At most one of {@code held} and {@code gathered} is set: a small frame joins them,
   * anything else makes them ready and is kept in their place, so order is kept.
   */
  final ByteBuf gather(ByteBuf frame) {
    int size = frame.readableBytes();
    if (held == null && gathered == null) {
      if (size > SMALL) {
        return frame;
      }
      held = frame;
      return null;
    }
    boolean joins = size <= SMALL
        && (gathered != null ? gathered.maxWritableBytes() >= size : held.readableBytes() <= SMALL);
    if (!joins || !roomFor(size)) {
      ByteBuf ready = takeGathered();
      held = frame;
      return ready;
    }
    copy(frame);
    return null;
  }

  /**
   * Makes room for {@code size} more bytes, starting the gathered buffer with the held frame if
   * there is none yet; false when the memory could not be had. Gathering only saves writes:
   * short of memory, the frames go out one by one.
   */
  private boolean roomFor(int size) {
    try {
      if (gathered != null) {
        if (gathered.writableBytes() < size) { // most frames fit: no call per frame then
          gathered.ensureWritable(size);
        }
        return true;
      }
      gathered = alloc.directBuffer(initialCapacity(held.readableBytes() + size), CAPACITY);
    } catch (RuntimeException | OutOfMemoryError e) {
      return false;
    }
    copy(held);
    held = null;
    return true;
  }

  /**
   * What to ask for: as much as this channel gathered last time (a broadcast's bursts repeat),
   * at least what is at hand. Asking for the most every time would make a turn that gathers for
   * many channels hold far more memory than it fills, and the allocator would free it after the
   * flush and fault fresh memory in the next turn; a buffer that turns out short grows.
   */
  private int initialCapacity(int atHand) {
    return Math.min(CAPACITY, Math.max(atHand, lastGathered));
  }

  /** What was kept, to be written now; null if nothing. */
  final ByteBuf takeGathered() {
    if (gathered != null) {
      lastGathered = gathered.readableBytes();
    }
    ByteBuf ready = held != null ? held : gathered;
    held = null;
    gathered = null;
    return ready;
  }

  /** Drops what was kept: the channel is gone. */
  final void dropGathered() {
    if (held != null) {
      held.release();
      held = null;
    }
    if (gathered != null) {
      gathered.release();
      gathered = null;
    }
  }

  private void copy(ByteBuf frame) {
    try {
      gathered.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
    } finally {
      frame.release();
    }
  }
}

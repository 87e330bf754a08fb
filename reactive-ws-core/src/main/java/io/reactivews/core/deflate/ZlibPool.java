package io.reactivews.core.deflate;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Idle zlib streams shared by every connection that keeps no context: a message borrows one and
 * gives it back reset, so native memory follows the messages in flight, not the connections.
 * Each pool keeps at most {@link #MAX_IDLE} idle streams and ends the rest at once, so nothing
 * waits for the GC to free native memory. Thread-safe.
 */
final class ZlibPool {

  /** Idle streams kept per pool: enough for every core to be compressing at once. */
  static final int MAX_IDLE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  /** Compressors by shape: level 1-9, times whether Huffman coding only. */
  private static final Pool<DeflaterSlot>[] DEFLATERS = newPools(20);
  private static final Pool<InflaterSlot> INFLATERS = new Pool<>();

  private ZlibPool() {}

  @SuppressWarnings("unchecked")
  private static Pool<DeflaterSlot>[] newPools(int n) {
    Pool<DeflaterSlot>[] pools = new Pool[n];
    for (int i = 0; i < n; i++) {
      pools[i] = new Pool<>();
    }
    return pools;
  }

  /** The index of a compressor shape. */
  static int shape(int level, boolean huffmanOnly) {
    return level * 2 + (huffmanOnly ? 1 : 0);
  }

  static DeflaterSlot deflater(int shape) {
    DeflaterSlot slot = DEFLATERS[shape].idle.poll();
    if (slot != null) {
      DEFLATERS[shape].count.decrementAndGet();
      return slot;
    }
    return new DeflaterSlot(shape / 2, (shape & 1) != 0);
  }

  static void release(DeflaterSlot slot) {
    slot.deflater.reset();
    slot.trimScratch();
    give(DEFLATERS[shape(slot.level, slot.huffmanOnly)], slot, slot.deflater::end);
  }

  static InflaterSlot inflater() {
    InflaterSlot slot = INFLATERS.idle.poll();
    if (slot != null) {
      INFLATERS.count.decrementAndGet();
      return slot;
    }
    return new InflaterSlot();
  }

  static void release(InflaterSlot slot) {
    slot.inflater.reset();
    give(INFLATERS, slot, slot.inflater::end);
  }

  private static <T> void give(Pool<T> pool, T slot, Runnable end) {
    if (pool.count.incrementAndGet() <= MAX_IDLE) {
      pool.idle.offer(slot);
    } else {
      pool.count.decrementAndGet();
      end.run();
    }
  }

  /** Idle streams pooled now, of every kind: for tests and the memory benchmark. */
  static int idle() {
    int n = INFLATERS.count.get();
    for (Pool<DeflaterSlot> p : DEFLATERS) {
      n += p.count.get();
    }
    return n;
  }

  private static final class Pool<T> {
    final Queue<T> idle = new ConcurrentLinkedQueue<>();
    final AtomicInteger count = new AtomicInteger();
  }

  /** A raw-deflate compressor and the array it compresses into. */
  static final class DeflaterSlot {
    /** Output arrays past this size are not kept between messages. */
    private static final int KEPT_SCRATCH = 64 * 1024;

    final Deflater deflater;
    final int level;
    final boolean huffmanOnly;
    byte[] scratch = new byte[4096];

    DeflaterSlot(int level, boolean huffmanOnly) {
      this.level = level;
      this.huffmanOnly = huffmanOnly;
      this.deflater = new Deflater(level, true);
      if (huffmanOnly) {
        deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        // The JDK applies a new strategy in a call of its own that compresses nothing: make it
        // now, so that every message is compressed by one uniform loop.
        deflater.deflate(scratch, 0, scratch.length, Deflater.NO_FLUSH);
      }
    }

    void trimScratch() {
      if (scratch.length > KEPT_SCRATCH) {
        scratch = new byte[4096];
      }
    }
  }

  /** A raw-deflate decompressor and the array it inflates into. */
  static final class InflaterSlot {
    static final int SCRATCH = 16 * 1024;

    final Inflater inflater = new Inflater(true);
    final byte[] scratch = new byte[SCRATCH];
  }
}

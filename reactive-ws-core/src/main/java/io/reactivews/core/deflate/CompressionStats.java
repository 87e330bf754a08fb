package io.reactivews.core.deflate;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of permessage-deflate for one session or a whole server: messages and payload bytes
 * before and after compression, in both directions, and how many times a compressor actually
 * ran (a broadcast compressed once for many sessions counts one run). A session's counters also
 * add to its server's. Thread-safe; the figures are read without stopping the writers.
 *
 * <pre>{@code
 * CompressionStats s = server.compressionStats();
 * double saved = 1 - (double) s.bytesSentCompressed() / s.bytesSentUncompressed();
 * }</pre>
 */
public final class CompressionStats {

  private final CompressionStats parent;
  private final LongAdder messagesCompressed = new LongAdder();
  private final LongAdder sentUncompressed = new LongAdder();
  private final LongAdder sentCompressed = new LongAdder();
  private final LongAdder messagesInflated = new LongAdder();
  private final LongAdder receivedCompressed = new LongAdder();
  private final LongAdder receivedInflated = new LongAdder();
  private final LongAdder compressorRuns = new LongAdder();

  private CompressionStats(CompressionStats parent) {
    this.parent = parent;
  }

  /** Counters of their own, such as a server's. */
  public static CompressionStats create() {
    return new CompressionStats(null);
  }

  /** Counters that also add everything to {@code this}: a session's under its server's. */
  public CompressionStats child() {
    return new CompressionStats(this);
  }

  void sent(long uncompressed, long compressed) {
    for (CompressionStats s = this; s != null; s = s.parent) {
      s.messagesCompressed.increment();
      s.sentUncompressed.add(uncompressed);
      s.sentCompressed.add(compressed);
    }
  }

  void received(long compressed, long inflated) {
    for (CompressionStats s = this; s != null; s = s.parent) {
      s.messagesInflated.increment();
      s.receivedCompressed.add(compressed);
      s.receivedInflated.add(inflated);
    }
  }

  void compressorRan() {
    for (CompressionStats s = this; s != null; s = s.parent) {
      s.compressorRuns.increment();
    }
  }

  /** Messages sent compressed. */
  public long messagesCompressed() {
    return messagesCompressed.sum();
  }

  /** Payload bytes of the messages sent compressed, before compression. */
  public long bytesSentUncompressed() {
    return sentUncompressed.sum();
  }

  /** Payload bytes of the messages sent compressed, as sent. */
  public long bytesSentCompressed() {
    return sentCompressed.sum();
  }

  /** Compressed messages received. */
  public long messagesInflated() {
    return messagesInflated.sum();
  }

  /** Payload bytes of the compressed messages received, as received. */
  public long bytesReceivedCompressed() {
    return receivedCompressed.sum();
  }

  /** Payload bytes of the compressed messages received, once inflated. */
  public long bytesReceivedInflated() {
    return receivedInflated.sum();
  }

  /** Times a compressor ran: fewer than {@link #messagesCompressed()} when frames are shared. */
  public long compressorRuns() {
    return compressorRuns.sum();
  }

  @Override
  public String toString() {
    return "CompressionStats[sent " + messagesCompressed() + " messages, "
        + bytesSentUncompressed() + " -> " + bytesSentCompressed() + " bytes, "
        + compressorRuns() + " compressor runs; received " + messagesInflated() + " messages, "
        + bytesReceivedCompressed() + " -> " + bytesReceivedInflated() + " bytes]";
  }
}

package io.reactivews.core.deflate;

import io.reactivews.core.compression.CompressionStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link CompressionStats}: what the compressors and inflaters add to, for
 * one session or a whole server. A session's counters also add to its server's. Thread-safe.
 */
public final class CompressionCounters implements CompressionStats {

  private final CompressionCounters parent;
  private final LongAdder messagesCompressed = new LongAdder();
  private final LongAdder sentUncompressed = new LongAdder();
  private final LongAdder sentCompressed = new LongAdder();
  private final LongAdder messagesInflated = new LongAdder();
  private final LongAdder receivedCompressed = new LongAdder();
  private final LongAdder receivedInflated = new LongAdder();
  private final LongAdder compressorRuns = new LongAdder();

  private CompressionCounters(CompressionCounters parent) {
    this.parent = parent;
  }

  /** Counters of their own, such as a server's. */
  public static CompressionCounters create() {
    return new CompressionCounters(null);
  }

  /** Counters that also add everything to {@code this}: a session's under its server's. */
  public CompressionCounters child() {
    return new CompressionCounters(this);
  }

  void sent(long uncompressed, long compressed) {
    for (CompressionCounters s = this; s != null; s = s.parent) {
      s.messagesCompressed.increment();
      s.sentUncompressed.add(uncompressed);
      s.sentCompressed.add(compressed);
    }
  }

  void received(long compressed, long inflated) {
    for (CompressionCounters s = this; s != null; s = s.parent) {
      s.messagesInflated.increment();
      s.receivedCompressed.add(compressed);
      s.receivedInflated.add(inflated);
    }
  }

  void compressorRan() {
    for (CompressionCounters s = this; s != null; s = s.parent) {
      s.compressorRuns.increment();
    }
  }

  @Override
  public long messagesCompressed() {
    return messagesCompressed.sum();
  }

  @Override
  public long bytesSentUncompressed() {
    return sentUncompressed.sum();
  }

  @Override
  public long bytesSentCompressed() {
    return sentCompressed.sum();
  }

  @Override
  public long messagesInflated() {
    return messagesInflated.sum();
  }

  @Override
  public long bytesReceivedCompressed() {
    return receivedCompressed.sum();
  }

  @Override
  public long bytesReceivedInflated() {
    return receivedInflated.sum();
  }

  @Override
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

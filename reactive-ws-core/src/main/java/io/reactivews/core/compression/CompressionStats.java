package io.reactivews.core.compression;

/**
 * Counters of permessage-deflate for one session or a whole server: messages and payload bytes
 * before and after compression, in both directions, and how many times a compressor actually
 * ran (a broadcast compressed once for many sessions counts one run). A session's figures are
 * also counted in its server's. The figures are read without stopping the writers.
 *
 * <pre>{@code
 * CompressionStats s = server.compressionStats();
 * double saved = 1 - (double) s.bytesSentCompressed() / s.bytesSentUncompressed();
 * }</pre>
 */
public interface CompressionStats {

  /** Messages sent compressed. */
  long messagesCompressed();

  /** Payload bytes of the messages sent compressed, before compression. */
  long bytesSentUncompressed();

  /** Payload bytes of the messages sent compressed, as sent. */
  long bytesSentCompressed();

  /** Compressed messages received. */
  long messagesInflated();

  /** Payload bytes of the compressed messages received, as received. */
  long bytesReceivedCompressed();

  /** Payload bytes of the compressed messages received, once inflated. */
  long bytesReceivedInflated();

  /** Times a compressor ran: fewer than {@link #messagesCompressed()} when frames are shared. */
  long compressorRuns();
}

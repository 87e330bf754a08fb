package io.reactivews.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reactivews.core.compression.CompressionStats;
import java.util.function.ToDoubleFunction;

/**
 * permessage-deflate's meters, {@code <prefix>.compression.*}: counters that read the {@link
 * CompressionStats} the server or client keeps anyway, so compressing does no extra work for
 * them. Tag {@code direction}: {@code sent} (bytes before and after compressing) or {@code
 * received} (bytes as received and once inflated).
 *
 * <pre>{@code
 * CompressionMeters.register(registry, "reactivews.server", server.compressionStats());
 * }</pre>
 */
public final class CompressionMeters {

  private CompressionMeters() {}

  /** Registers the meters reading {@code stats}. */
  public static void register(MeterRegistry registry, String prefix, CompressionStats stats) {
    String name = prefix + ".compression";
    counter(registry, name + ".messages", "sent", stats, CompressionStats::messagesCompressed,
        null, "Messages sent compressed");
    counter(registry, name + ".messages", "received", stats, CompressionStats::messagesInflated,
        null, "Compressed messages received");
    counter(registry, name + ".uncompressed", "sent", stats,
        CompressionStats::bytesSentUncompressed, "bytes",
        "Payload bytes of the messages sent compressed, before compression");
    counter(registry, name + ".compressed", "sent", stats, CompressionStats::bytesSentCompressed,
        "bytes", "Payload bytes of the messages sent compressed, as sent");
    counter(registry, name + ".compressed", "received", stats,
        CompressionStats::bytesReceivedCompressed, "bytes",
        "Payload bytes of the compressed messages received, as received");
    counter(registry, name + ".uncompressed", "received", stats,
        CompressionStats::bytesReceivedInflated, "bytes",
        "Payload bytes of the compressed messages received, once inflated");
    FunctionCounter.builder(name + ".runs", stats, CompressionStats::compressorRuns)
        .description("Times a compressor ran: fewer than messages when a broadcast shares frames")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, String direction,
      CompressionStats stats, ToDoubleFunction<CompressionStats> read, String unit,
      String description) {
    FunctionCounter.builder(name, stats, read).description(description).baseUnit(unit)
        .tag("direction", direction).register(registry);
  }
}

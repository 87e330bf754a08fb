package io.reactivews.client.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * A Socket.IO client's meters: packets in and out by type ({@code event}, {@code ack}, {@code
 * connect}...), the time from an emit to its ack, and the acks that never came in time. Its
 * WebSocket sessions are metered by {@link ClientMetrics} in the same registry.
 *
 * <p>Thread-safe.
 */
public final class SocketIoMeters {

  private static final String PREFIX = "reactivews.socketio";

  private final MeterRegistry registry;
  // Packet types are a small enum: one counter each, made on first use.
  private final Map<String, Counter> in = new ConcurrentHashMap<>();
  private final Map<String, Counter> out = new ConcurrentHashMap<>();
  private final Timer ackTime;
  private final Counter ackTimeouts;

  public SocketIoMeters(MeterRegistry registry) {
    this.registry = registry;
    this.ackTime = Timer.builder(PREFIX + ".ack.duration")
        .description("From an emit that asks for an ack to the ack").register(registry);
    this.ackTimeouts = Counter.builder(PREFIX + ".ack.timeouts")
        .description("Emits whose ack did not come within the ack timeout").register(registry);
  }

  /** A whole packet (binary attachments included) arrived. */
  public void received(Enum<?> type) {
    count(in, "received", type);
  }

  /** A packet was handed to the connection. */
  public void sent(Enum<?> type) {
    count(out, "sent", type);
  }

  /** Times {@code acked}, an emit that completes with its ack, from subscription to the ack. */
  public <T> Mono<T> timed(Mono<T> acked) {
    return Mono.defer(() -> {
      long started = System.nanoTime();
      return acked.doOnNext(
          reply -> ackTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    });
  }

  /** An ack did not come in time. */
  public void ackTimedOut() {
    ackTimeouts.increment();
  }

  private void count(Map<String, Counter> counters, String direction, Enum<?> type) {
    counters.computeIfAbsent(type.name(), t -> Counter.builder(PREFIX + ".packets." + direction)
            .description("Socket.IO packets " + direction + ", by type")
            .tag("type", t.toLowerCase(Locale.ROOT)).register(registry))
        .increment();
  }
}

package io.reactivews.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.internal.SessionProbe;
import io.reactivews.core.metrics.CompressionMeters;
import io.reactivews.core.metrics.SessionMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bound server's meters in the application's registry: connections, handshakes and TLS
 * failures here, and the sessions' meters per route ({@link SessionMeters}, tag {@code route}).
 * Made by the server when it binds, only if its spec was given a registry.
 *
 * <p>Tags are the route template ({@code /chat}, or {@code /rooms/*} for a prefix route, {@code
 * unmatched} when no route matched) and the handshake's status: never a path a client chose.
 *
 * <p>Thread-safe.
 */
public final class ServerMetrics {

  /** The route tag of a request no route matched, or that could not be read. */
  public static final String UNMATCHED = "unmatched";

  private static final String PREFIX = "reactivews.server";

  private final MeterRegistry registry;
  private final Counter connections;
  private final Counter tlsFailures;
  private final Map<String, SessionMeters> routes = new ConcurrentHashMap<>();
  private final Map<String, Timer> handshakes = new ConcurrentHashMap<>();

  /**
   * Registers the server's meters.
   *
   * @param open the connections open now, counted by the server from accept to close
   * @param compression the server's permessage-deflate counters, read by its meters
   */
  public ServerMetrics(MeterRegistry registry, AtomicInteger open, CompressionStats compression) {
    this.registry = registry;
    CompressionMeters.register(registry, PREFIX, compression);
    Gauge.builder(PREFIX + ".connections.active", open, AtomicInteger::get)
        .description("TCP connections open now, from accept to close, upgraded or not")
        .strongReference(true).register(registry);
    connections = Counter.builder(PREFIX + ".connections")
        .description("TCP connections accepted").register(registry);
    tlsFailures = Counter.builder(PREFIX + ".tls.handshake.failures")
        .description("Connections whose TLS handshake failed").register(registry);
  }

  /** A connection was accepted. */
  public void accepted() {
    connections.increment();
  }

  /** A TLS handshake failed. */
  public void tlsFailed() {
    tlsFailures.increment();
  }

  /**
   * A handshake ended with {@code status} (101, or the refusal) after {@code nanos} from accept.
   *
   * @param route the route template, or null when no route matched
   */
  public void handshake(String route, int status, long nanos) {
    String tag = route == null ? UNMATCHED : route;
    // Statuses are three digits and routes are the application's: the map stays small.
    handshakes.computeIfAbsent(tag + ' ' + status, k -> Timer.builder(PREFIX + ".handshakes")
            .description("Opening handshakes from accept to the answer written, by status")
            .tags("route", tag, "status", Integer.toString(status)).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The probe for the sessions of the route with this template; made once per route. */
  public SessionProbe route(String template) {
    return routes.computeIfAbsent(template,
        t -> new SessionMeters(registry, PREFIX, Tags.of("route", t)));
  }
}

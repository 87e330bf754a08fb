package io.reactivews.client.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.reactivews.core.deflate.CompressionCounters;
import io.reactivews.core.internal.SessionProbe;
import io.reactivews.core.metrics.CompressionMeters;
import io.reactivews.core.metrics.SessionMeters;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's meters in the application's registry: its sessions' ({@link SessionMeters} under
 * {@code reactivews.client}), its handshakes by outcome, and its reconnecting sessions: how many
 * are in each phase now, and how many reconnect attempts they made.
 *
 * <p>One instance per registry, however many client specs use it: the gauges of a second
 * instance would be shadowed by the first's in the registry and never come back to zero.
 *
 * <p>Thread-safe.
 */
public final class ClientMetrics {

  private static final String PREFIX = "reactivews.client";
  private static final Map<MeterRegistry, ClientMetrics> BY_REGISTRY = new WeakHashMap<>();

  /** The phases of a reconnecting session, as tag values; a closed one is in none. */
  private static final String[] PHASES = {"connecting", "open", "reconnecting"};

  private final MeterRegistry registry;
  private final SessionMeters sessions;
  private final Counter reconnects;
  private final AtomicInteger[] phases = new AtomicInteger[PHASES.length];
  private final Map<String, Timer> handshakes = new ConcurrentHashMap<>();
  // Every metered session's permessage-deflate counters add up here.
  private final CompressionCounters compression = CompressionCounters.create();

  private ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sessions = new SessionMeters(registry, PREFIX, Tags.empty());
    CompressionMeters.register(registry, PREFIX, compression);
    this.reconnects = Counter.builder(PREFIX + ".reconnect.attempts")
        .description("Reconnect attempts that reconnecting sessions scheduled after a failure")
        .register(registry);
    for (int i = 0; i < PHASES.length; i++) {
      phases[i] = new AtomicInteger();
      Gauge.builder(PREFIX + ".reconnecting.sessions", phases[i], AtomicInteger::get)
          .description("Reconnecting sessions in this phase now")
          .tag("phase", PHASES[i]).strongReference(true).register(registry);
    }
  }

  /** The meters of {@code registry}, made on first use. */
  public static ClientMetrics of(MeterRegistry registry) {
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, ClientMetrics::new);
    }
  }

  /** Counters for one session's permessage-deflate, added to the client's meters. */
  public CompressionCounters compressionCounters() {
    return compression.child();
  }

  /** The probe every client session tells. */
  public SessionProbe sessions() {
    return sessions;
  }

  /**
   * A handshake ended after {@code nanos}: with a 101, a refusal's status, or 0 for no answer
   * (the connection failed, timed out, or the response was not HTTP).
   */
  public void handshake(int status, long nanos) {
    String outcome = status == 0 ? "none" : Integer.toString(status);
    handshakes.computeIfAbsent(outcome, s -> Timer.builder(PREFIX + ".handshakes")
            .description("Opening handshakes from connect to the answer, by status")
            .tag("status", s).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A reconnecting session moved from phase {@code from} to {@code to}; null is none. */
  public void phase(Enum<?> from, Enum<?> to) {
    if (from == to) {
      return;
    }
    AtomicInteger left = gaugeOf(from);
    if (left != null) {
      left.decrementAndGet();
    }
    AtomicInteger entered = gaugeOf(to);
    if (entered != null) {
      entered.incrementAndGet();
    }
  }

  /** A reconnecting session will try again. */
  public void reconnectAttempt() {
    reconnects.increment();
  }

  private AtomicInteger gaugeOf(Enum<?> phase) {
    if (phase == null) {
      return null;
    }
    String name = phase.name().toLowerCase(Locale.ROOT);
    for (int i = 0; i < PHASES.length; i++) {
      if (PHASES[i].equals(name)) {
        return phases[i];
      }
    }
    return null; // closed
  }
}

package io.reactivews.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.SessionProbe;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one group of sessions (a server route, or a client), named {@code
 * <prefix>.sessions.active}, {@code <prefix>.messages.received} and so on (see the README's
 * table), every one tagged with the group's tags only: never a session id or an address.
 *
 * <p>The per-message counters are resolved once, here, so a message costs two counter
 * increments and builds no tags. Gauges read the sessions between {@link #opened} and {@link
 * #ended}, which each session calls exactly once from the state machine that ends it: a gauge
 * cannot drift, whatever the way a connection ended.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * SessionProbe probe = new SessionMeters(registry, "reactivews.server", Tags.of("route", "/chat"));
 * }</pre>
 */
public final class SessionMeters implements SessionProbe {

  private final MeterRegistry registry;
  private final String prefix;
  private final Tags tags;
  private final Set<DrivenSession> live = ConcurrentHashMap.newKeySet();
  private final Counter messagesReceived;
  private final Counter bytesReceived;
  private final Counter messagesSent;
  private final Counter bytesSent;
  private final Counter overflows;
  private final Counter keepAliveTimeouts;
  private final Timer duration;
  // Close codes are bounded (CloseCodes), so these maps are too; touched once per session.
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();

  /**
   * Registers the group's meters.
   *
   * @param prefix the meter names' start, such as {@code reactivews.server}
   * @param tags the group's tags, such as the route template
   */
  public SessionMeters(MeterRegistry registry, String prefix, Tags tags) {
    this.registry = registry;
    this.prefix = prefix;
    this.tags = tags;
    Gauge.builder(prefix + ".sessions.active", live, Set::size)
        .description("Sessions open now: upgraded and not yet closed")
        .tags(tags).strongReference(true).register(registry);
    Gauge.builder(prefix + ".outbound.queued.messages", live, SessionMeters::queuedMessages)
        .description("Messages queued by tryEmit and not yet written, over open sessions")
        .tags(tags).strongReference(true).register(registry);
    Gauge.builder(prefix + ".outbound.queued.bytes", live, SessionMeters::queuedBytes)
        .description("Payload bytes queued by tryEmit and not yet written, over open sessions")
        .baseUnit("bytes").tags(tags).strongReference(true).register(registry);
    messagesReceived = counter("messages.received", null, "Data messages received");
    bytesReceived = counter("data.received", "bytes", "Payload bytes of data messages received");
    messagesSent = counter("messages.sent", null, "Data messages written to the connection");
    bytesSent = counter("data.sent", "bytes", "Payload bytes of data messages written");
    overflows = counter("outbound.overflows", null,
        "Messages tryEmit refused because the outbound queue was full");
    keepAliveTimeouts = counter("keepalive.timeouts", null,
        "Sessions failed because the peer did not answer a keepalive ping in time");
    duration = Timer.builder(prefix + ".session.duration")
        .description("How long sessions were open, from the handshake to the closed connection")
        .tags(tags).register(registry);
  }

  private Counter counter(String name, String unit, String description) {
    return Counter.builder(prefix + "." + name).description(description).baseUnit(unit)
        .tags(tags).register(registry);
  }

  private static double queuedMessages(Set<DrivenSession> sessions) {
    long sum = 0;
    for (DrivenSession session : sessions) {
      sum += session.queuedMessages();
    }
    return sum;
  }

  private static double queuedBytes(Set<DrivenSession> sessions) {
    long sum = 0;
    for (DrivenSession session : sessions) {
      sum += session.queuedBytes();
    }
    return sum;
  }

  @Override
  public void opened(DrivenSession session) {
    live.add(session);
  }

  @Override
  public void received(int bytes) {
    messagesReceived.increment();
    bytesReceived.increment(bytes);
  }

  @Override
  public void sent(int bytes) {
    messagesSent.increment();
    bytesSent.increment(bytes);
  }

  @Override
  public void overflowed() {
    overflows.increment();
  }

  @Override
  public void protocolError(CloseStatus status) {
    String code = CloseCodes.tag(status.code());
    protocolErrors.computeIfAbsent(code, c -> Counter.builder(prefix + ".protocol.errors")
        .description("Connections we failed for the peer's fault, by the close code sent")
        .tags(tags).tag("code", c).register(registry)).increment();
  }

  @Override
  public void keepAliveTimedOut() {
    keepAliveTimeouts.increment();
  }

  @Override
  public void ended(DrivenSession session, CloseStatus status, Initiator closedBy, long nanos) {
    live.remove(session);
    duration.record(nanos, TimeUnit.NANOSECONDS);
    String code = CloseCodes.tag(status.code());
    closes.computeIfAbsent(code + ' ' + closedBy.tag(), k -> Counter.builder(prefix + ".closes")
        .description("Sessions ended, by final close code and by who sent the first close frame")
        .tags(tags).tag("code", code).tag("closed.by", closedBy.tag())
        .register(registry)).increment();
  }

  /** Sessions open now; for tests. */
  public int active() {
    return live.size();
  }
}

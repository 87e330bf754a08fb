package io.reactivews.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of a cluster bus (the link that carries topic messages between nodes), tag {@code
 * bus}: messages published to the other nodes, delivered from them, and lost (dropped because
 * the bus was down or its bounded buffer full). The hook a bus implementation calls, once per
 * message, from the place it decides each outcome.
 *
 * <pre>{@code
 * BusMeters meters = new BusMeters(registry, "redis");
 * meters.published();   // handed to the bus
 * meters.delivered();   // a message from another node reached local subscribers
 * meters.lost();        // never sent, or never delivered
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class BusMeters {

  private static final String PREFIX = "reactivews.cluster";

  private final Counter published;
  private final Counter delivered;
  private final Counter lost;

  public BusMeters(MeterRegistry registry, String bus) {
    Tags tags = Tags.of("bus", bus);
    published = Counter.builder(PREFIX + ".published").tags(tags)
        .description("Messages this node handed to the bus for the other nodes")
        .register(registry);
    delivered = Counter.builder(PREFIX + ".delivered").tags(tags)
        .description("Messages from other nodes delivered to this node's subscribers")
        .register(registry);
    lost = Counter.builder(PREFIX + ".lost").tags(tags)
        .description("Messages the bus dropped: down, or its bounded buffer full")
        .register(registry);
  }

  public void published() {
    published.increment();
  }

  public void delivered() {
    delivered.increment();
  }

  public void lost() {
    lost.increment();
  }
}

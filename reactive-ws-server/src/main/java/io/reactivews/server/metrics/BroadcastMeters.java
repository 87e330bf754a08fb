package io.reactivews.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reactivews.server.Broadcast;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A broadcast's meters, tag {@code broadcast} (the name the application gave it): counters that
 * read the totals the broadcast keeps anyway, so its fan-out does no extra work for them.
 *
 * <p>Thread-safe.
 */
public final class BroadcastMeters {

  private static final String PREFIX = "reactivews.broadcast";

  private BroadcastMeters() {}

  /** Registers the meters of the broadcast named {@code name}, reading its {@code totals}. */
  public static void register(
      MeterRegistry registry, String name, Supplier<Broadcast.Stats> totals) {
    Tags tags = Tags.of("broadcast", name);
    counter(registry, "published", tags, totals, Broadcast.Stats::published,
        "Messages the source published");
    counter(registry, "unencoded", tags, totals, Broadcast.Stats::unencoded,
        "Messages sent to nobody because their frame could not be made");
    counter(registry, "delivered", tags, totals, Broadcast.Stats::delivered,
        "Messages handed to a subscriber's session, counted once per subscriber");
    counter(registry, "dropped", tags, totals, Broadcast.Stats::dropped,
        "Messages a subscriber's overflow policy dropped");
    counter(registry, "unsent", tags, totals, Broadcast.Stats::unsent,
        "Messages still queued for a subscriber when its subscription ended");
    counter(registry, "disconnected", tags, totals, Broadcast.Stats::disconnected,
        "Slow subscribers the disconnect policy closed");
    Gauge.builder(PREFIX + ".subscribers", totals, t -> t.get().subscribers())
        .description("Subscriptions open now").tags(tags).strongReference(true)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, Tags tags,
      Supplier<Broadcast.Stats> totals, ToDoubleFunction<Broadcast.Stats> read,
      String description) {
    FunctionCounter.builder(PREFIX + "." + name, totals, t -> read.applyAsDouble(t.get()))
        .description(description).tags(tags).register(registry);
  }
}

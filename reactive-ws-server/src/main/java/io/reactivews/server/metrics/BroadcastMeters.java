package io.reactivews.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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

  /** What the meters read: the broadcast's totals and its subscriber count. */
  public interface Totals {
    long published();

    long delivered();

    long dropped();

    long unsent();

    long disconnected();

    int subscribers();
  }

  /** Registers the meters of the broadcast named {@code name}, reading {@code totals}. */
  public static void register(MeterRegistry registry, String name, Supplier<Totals> totals) {
    Tags tags = Tags.of("broadcast", name);
    counter(registry, "published", tags, totals, Totals::published,
        "Messages the source published");
    counter(registry, "delivered", tags, totals, Totals::delivered,
        "Messages handed to a subscriber's session, counted once per subscriber");
    counter(registry, "dropped", tags, totals, Totals::dropped,
        "Messages a subscriber's overflow policy dropped");
    counter(registry, "unsent", tags, totals, Totals::unsent,
        "Messages still queued for a subscriber when its subscription ended");
    counter(registry, "disconnected", tags, totals, Totals::disconnected,
        "Slow subscribers the disconnect policy closed");
    Gauge.builder(PREFIX + ".subscribers", totals, t -> t.get().subscribers())
        .description("Subscriptions open now").tags(tags).strongReference(true)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, Tags tags,
      Supplier<Totals> totals, ToDoubleFunction<Totals> read, String description) {
    FunctionCounter.builder(PREFIX + "." + name, totals, t -> read.applyAsDouble(t.get()))
        .description(description).tags(tags).register(registry);
  }
}

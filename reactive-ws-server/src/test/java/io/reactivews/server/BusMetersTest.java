package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivews.server.metrics.BusMeters;
import org.junit.jupiter.api.Test;

/** The cluster bus's hook counts each outcome under the bus's name. */
class BusMetersTest {

  @Test
  void eachOutcomeHasItsCounter() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BusMeters bus = new BusMeters(meters, "redis");
    bus.published();
    bus.published();
    bus.delivered();
    bus.lost();
    assertEquals(2, count(meters, "published"));
    assertEquals(1, count(meters, "delivered"));
    assertEquals(1, count(meters, "lost"));
  }

  private static double count(SimpleMeterRegistry meters, String name) {
    return meters.get("reactivews.cluster." + name).tag("bus", "redis").counter().count();
  }
}

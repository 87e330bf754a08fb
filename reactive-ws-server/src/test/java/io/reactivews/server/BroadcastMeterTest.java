package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivews.core.close.CloseStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broadcast's meters read what its subscriptions counted, under its name only. */
class BroadcastMeterTest {

  private final Stage stage = new Stage();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void releaseEverything() {
    stage.close();
  }

  @Test
  void deliveredDroppedAndDisconnectedMatchTheSubscriptions() {
    stage.broadcast.metrics(meters, "scores");
    Stage.Seat dropping = stage.seat(OverflowPolicy.dropNewest(8), false);
    Stage.Seat laggard = stage.seat(OverflowPolicy.disconnect(8, CloseStatus.of(4000)), false);
    List<Stage.Seat> fast = stage.seats(2, OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 50);
    stage.alloc.refuse(1);
    stage.publish(51, 100);
    for (Stage.Seat seat : fast) {
      seat.viewer().awaitReceived(99);
    }

    long delivered = 0;
    for (Stage.Seat seat : List.of(dropping, laggard, fast.get(0), fast.get(1))) {
      delivered += seat.stats().delivered();
    }
    assertEquals(100, count("published"));
    assertEquals(1, count("unencoded"));
    assertEquals(delivered, count("delivered"));
    assertEquals(dropping.stats().dropped() + laggard.stats().dropped(), count("dropped"));
    assertTrue(count("dropped") > 0);
    assertEquals(1, count("disconnected"));
    assertEquals(stage.broadcast.stats().subscribers(),
        meters.get("reactivews.broadcast.subscribers").gauge().value());
    meters.getMeters().forEach(m -> assertEquals(List.of("broadcast"),
        m.getId().getTags().stream().map(t -> t.getKey()).toList()));
  }

  private long count(String name) {
    return (long) meters.get("reactivews.broadcast." + name).tag("broadcast", "scores")
        .functionCounter().count();
  }
}

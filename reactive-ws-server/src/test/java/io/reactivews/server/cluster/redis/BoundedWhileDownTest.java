package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.testing.RedisProcess;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Redis unreachable at start, then up, then killed while publishers keep publishing: each
 * change is an event, and what is published meanwhile is refused at once (delivered here only),
 * never held for Redis, so the heap does not grow with it.
 */
class BoundedWhileDownTest {

  private static final int MESSAGES = 10_000;
  private static final byte[] PAYLOAD = new byte[4096];

  @Test
  void nothingPilesUpWhileRedisIsAway() throws Exception {
    RedisProcess redis = RedisProcess.notStarted();
    try (redis; Node a = Node.start(Node.spec(redis).nodeId("a"), OverflowPolicy.dropOldest(64))) {
      // The server's events began after the first attempt failed; the bus replays its state.
      assertTrue(a.bus.events().blockFirst(Duration.ofSeconds(10)) instanceof ClusterEvent.Down,
          "unreachable at start");
      assertEquals(Map.of(PublishOutcome.LOCAL_ONLY, 100L), publish(a, 100),
          "published before Redis ever answered: here only");

      redis.start();
      a.awaitUp();
      Node.await(() -> a.sawEvent(ClusterEvent.Up.class), () -> "up, as a server event");
      assertEquals(Map.of(PublishOutcome.CLUSTER, 100L), publish(a, 100));

      redis.kill();
      Node.await(() -> a.sawEvent(ClusterEvent.Down.class), () -> "Redis gone: " + a.events);
      // A viewer that reads nothing: what reaches it is held by its policy's bounded queue.
      try (java.net.Socket viewer = Client.stalled(a, "/live")) {
        Node.await(() -> a.live.stats().subscribers() == 1, () -> "a viewer");
        long before = usedHeap();
        assertEquals(Map.of(PublishOutcome.LOCAL_ONLY, (long) MESSAGES), publish(a, MESSAGES),
            "refused at once, never queued for Redis");
        long grown = usedHeap() - before;
        assertTrue(grown < 16L << 20, "heap grew by " + (grown >> 20) + " MiB while "
            + ((long) MESSAGES * PAYLOAD.length >> 20) + " MiB were published");
      }

      redis.start();
      Node.await(() -> a.events.stream().filter(ClusterEvent.Up.class::isInstance).count() == 2,
          () -> "up again: " + a.events);
      assertEquals(Map.of(PublishOutcome.CLUSTER, 100L), publish(a, 100));
    }
  }

  private static Map<PublishOutcome, Long> publish(Node node, int count) {
    return Flux.range(0, count)
        .concatMap(i -> node.bus.publish(Node.TOPIC, Message.binary(PAYLOAD)))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .block(Duration.ofSeconds(60));
  }

  private static long usedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}

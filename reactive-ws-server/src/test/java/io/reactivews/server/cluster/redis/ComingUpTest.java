package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reactivews.core.message.Message;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A topic subscribed while the bus is coming up: after its link's first resync has listed the
 * topics to follow and before it says up. {@code connect()} returns before that, so an
 * application that subscribes right after it lands there. The link is held in that window
 * through the bus's test seam; the subscription must take effect at once, not at some later
 * pass, or what other nodes publish meanwhile is lost.
 */
class ComingUpTest {

  private static final String TOPIC = "t";

  @Test
  void aStreamsTopicSubscribedWhileComingUpStartsAtOnceAndLosesNothing() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      RedisBus a = fast(redis).streams(1_000, Duration.ofMinutes(1)).nodeId("a").connect();
      HeldResync held = new HeldResync();
      // The read loop waits this long between its passes while it has no connection, so a
      // topic left to it would start a few seconds late, long after what the test publishes.
      RedisBus b = new RedisBus(RedisBus.spec(redis.uri())
          .streams(1_000, Duration.ofMinutes(1))
          .reconnectBackoff(Duration.ofSeconds(3), Duration.ofSeconds(3))
          .nodeId("b"), held::around);
      try {
        awaitConnected(a);
        assertTrue(held.reached.await(10, TimeUnit.SECONDS), "b's first resync ran");
        assertFalse(b.isConnected(), "held between its resync and up");

        BlockingQueue<TopicMessage> heard = new LinkedBlockingQueue<>();
        Disposable listening = b.subscribe(TOPIC).subscribe(heard::add);
        assertDoesNotThrow(() -> b.positioned(TOPIC).block(Duration.ofSeconds(1)),
            "the topic started while b came up, not at its read loop's next pass");
        assertFalse(b.isConnected(), "still held: the topic started while coming up");

        assertEquals(PublishOutcome.CLUSTER,
            a.publish(TOPIC, Message.text("while b comes up")).block(Duration.ofSeconds(5)));
        held.release();
        awaitConnected(b);
        TopicMessage first = heard.poll(10, TimeUnit.SECONDS);
        assertNotNull(first, "b heard what a published while b came up");
        assertEquals("while b comes up", first.message().text());
        assertEquals("a", first.origin());
        listening.dispose();
      } finally {
        held.release();
        b.dispose();
        a.dispose();
      }
    }
  }

  @Test
  void aPubSubTopicSubscribedWhileComingUpIsSubscribedAtOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      RedisClient probe = RedisClient.create(redis.uri());
      RedisBus a = fast(redis).pubSub().nodeId("a").connect();
      HeldResync held = new HeldResync();
      RedisBus b = new RedisBus(fast(redis).pubSub().nodeId("b"), held::around);
      try (StatefulRedisConnection<byte[], byte[]> redisSide =
          probe.connect(ByteArrayCodec.INSTANCE)) {
        awaitConnected(a);
        assertTrue(held.reached.await(10, TimeUnit.SECONDS), "b's first resync ran");

        BlockingQueue<TopicMessage> heard = new LinkedBlockingQueue<>();
        Disposable listening = b.subscribe(TOPIC).subscribe(heard::add);
        // Pub/sub has no offsets to wait for; Redis says who listens on the topic's channel.
        byte[] channel = new Keys(RedisBus.spec(redis.uri()).keyPrefix).channel(TOPIC);
        awaitListeners(redisSide.reactive(), channel, 1);
        assertFalse(b.isConnected(), "still held: subscribed while coming up");

        assertEquals(PublishOutcome.CLUSTER,
            a.publish(TOPIC, Message.text("while b comes up")).block(Duration.ofSeconds(5)));
        TopicMessage first = heard.poll(10, TimeUnit.SECONDS);
        assertNotNull(first, "b heard what a published while b came up");
        assertEquals("while b comes up", first.message().text());
        held.release();
        awaitConnected(b);
        listening.dispose();
      } finally {
        held.release();
        b.dispose();
        a.dispose();
        probe.shutdown();
      }
    }
  }

  /** Holds the link's first resync after it has done its work, until released. */
  private static final class HeldResync {
    final CountDownLatch reached = new CountDownLatch(1);
    private final Sinks.Empty<Void> gate = Sinks.empty();

    RedisLink.Callbacks around(RedisLink.Callbacks bus) {
      return new RedisLink.Callbacks() {
        @Override
        public Mono<Void> beat(RedisReactiveCommands<byte[], byte[]> commands) {
          return bus.beat(commands);
        }

        @Override
        public Mono<Void> resync(boolean again) {
          return bus.resync(again)
              .then(Mono.fromRunnable(reached::countDown))
              .then(gate.asMono());
        }

        @Override
        public void up() {
          bus.up();
        }

        @Override
        public void down(String reason) {
          bus.down(reason);
        }
      };
    }

    void release() {
      gate.tryEmitEmpty();
    }
  }

  private static RedisBusSpec fast(RedisProcess redis) {
    return RedisBus.spec(redis.uri())
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300));
  }

  private static void awaitConnected(RedisBus bus) {
    Node.await(bus::isConnected, () -> bus + " connected");
  }

  private static void awaitListeners(RedisReactiveCommands<byte[], byte[]> redis, byte[] channel,
      long count) {
    Node.await(() -> {
      Map<byte[], Long> listeners = redis.pubsubNumsub(channel).block(Duration.ofSeconds(5));
      return listeners != null && listeners.values().stream().anyMatch(n -> n == count);
    }, () -> "a listener on the topic's channel");
  }
}

package io.reactivews.examples.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import io.reactivews.server.cluster.redis.RedisBus;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two stats nodes on one real Redis: the match runs on one, a viewer of the other watches it. */
class StatsClusterTest {

  @Test
  void aNodeWithoutTheMatchShowsTheMatchOfAnother() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      RedisBus runs = RedisBus.spec(redis.uri()).connect();
      RedisBus relays = RedisBus.spec(redis.uri()).connect();
      try (StatsServer match = StatsServer.start("127.0.0.1", 0, Duration.ofMillis(20), 42,
              runs, true);
          StatsServer viewers = StatsServer.start("127.0.0.1", 0, Duration.ofMillis(20), 7,
              relays, false);
          TextClient viewer = new TextClient("ws://127.0.0.1:" + viewers.port() + "/stats")) {
        assertTrue(viewer.nextContaining("\"type\":\"kill\"").contains("\"weapon\""));
        assertTrue(viewer.nextContaining("\"type\":\"scoreboard\"").contains("\"version\""));
      } finally {
        runs.dispose();
        relays.dispose();
      }
    }
  }
}

package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.server.cluster.DeliveryMode;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad settings are refused where they are made, with a message that says which and why. */
class RedisBusSpecTest {

  private static final RedisBusSpec SPEC = RedisBus.spec("redis://127.0.0.1:6379");

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost:6379", "http://127.0.0.1:6379", "redis://",
      "redis ://127.0.0.1"})
  void aUriThatIsNotRedisIsRefusedAtOnceWithoutRepeatingIt(String uri) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RedisBus.spec(uri));
    assertTrue(e.getMessage().startsWith("not a Redis URI: "), e.getMessage());
    assertTrue(uri.isEmpty() || !e.getMessage().contains(uri), e.getMessage());
  }

  @Test
  void aBadUriIsNotRepeatedInTheMessageForItMayCarryAPassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisBus.spec("redis ://:hunter2@127.0.0.1"));
    assertEquals("not a Redis URI: Illegal character in scheme name at index 5: <uri>",
        e.getMessage());
    assertNull(e.getCause(), "the cause's message would carry it");
  }

  @Test
  void aNullUriIsRefused() {
    assertThrows(NullPointerException.class, () -> RedisBus.spec(null));
  }

  @Test
  void aBackoffWhoseMaxIsBelowItsMinIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SPEC.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertEquals("max must be at least min: PT1S < PT2S", e.getMessage());
  }

  @Test
  void durationsMustBePositive() {
    assertThrows(IllegalArgumentException.class,
        () -> SPEC.reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> SPEC.reconnectBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> SPEC.heartbeat(Duration.ZERO, Duration.ofSeconds(5)));
    assertThrows(IllegalArgumentException.class,
        () -> SPEC.streams(10, Duration.ZERO));
    assertThrows(NullPointerException.class,
        () -> SPEC.reconnectBackoff(null, Duration.ofSeconds(1)));
  }

  @Test
  void countsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> SPEC.streams(0, Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> SPEC.requestQueue(0));
  }

  @Test
  void aNodeMustBeGivenTimeToBeatTwiceBeforeOthersForgetIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SPEC.heartbeat(Duration.ofSeconds(1), Duration.ofMillis(1999)));
    assertTrue(e.getMessage().contains("two intervals"), e.getMessage());
  }

  @Test
  void eachSettingMakesACopy() {
    RedisBusSpec streams = SPEC.streams(100, Duration.ofMinutes(1));
    assertEquals(DeliveryMode.PUB_SUB, SPEC.mode);
    assertEquals(DeliveryMode.STREAMS, streams.mode);
    assertEquals(100, streams.maxLength);
  }

  @Test
  void aFixedBackoffConnects() {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      Duration fixed = Duration.ofMillis(200);
      RedisBus bus = RedisBus.spec(redis.uri()).reconnectBackoff(fixed, fixed).connect();
      try {
        Node.await(bus::isConnected, () -> bus + " connected");
      } finally {
        bus.dispose();
      }
    }
  }
}

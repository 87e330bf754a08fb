package io.reactivews.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.frame.Frame;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The keepalive spec: defaults, validation and copies. */
class KeepAliveTest {

  private static final Consumer<byte[]> IGNORE_PINGS = payload -> {};

  @Test
  void theTimeoutDefaultsToTheInterval() {
    KeepAlive keepAlive = KeepAlive.every(Duration.ofSeconds(20));

    assertTrue(keepAlive.isEnabled());
    assertEquals(Duration.ofSeconds(20), keepAlive.interval());
    assertEquals(Duration.ofSeconds(20), keepAlive.timeout());
    assertNull(keepAlive.scheduler(), "null stands for Schedulers.parallel()");
  }

  @Test
  void settersReturnCopiesAndLeaveTheOriginalAlone() {
    Scheduler scheduler = VirtualTimeScheduler.create();
    KeepAlive base = KeepAlive.every(Duration.ofSeconds(20));

    KeepAlive tuned = base.staggered().timeout(Duration.ofSeconds(5)).on(scheduler);

    assertEquals(Duration.ofSeconds(5), tuned.timeout());
    assertSame(scheduler, tuned.scheduler());
    assertTrue(tuned.isStaggered(), "kept through later setters");
    assertEquals(Duration.ofSeconds(20), base.timeout());
    assertNull(base.scheduler());
    assertFalse(base.isStaggered());
  }

  @Test
  void theTimeoutMayBeShorterOrLongerThanTheInterval() {
    KeepAlive keepAlive = KeepAlive.every(Duration.ofSeconds(20));

    assertEquals(Duration.ofSeconds(1), keepAlive.timeout(Duration.ofSeconds(1)).timeout());
    assertEquals(Duration.ofMinutes(5), keepAlive.timeout(Duration.ofMinutes(5)).timeout());
  }

  @Test
  void durationsMustBePositive() {
    KeepAlive keepAlive = KeepAlive.every(Duration.ofSeconds(1));

    assertEquals("interval must be positive: PT0S",
        assertThrows(IllegalArgumentException.class, () -> KeepAlive.every(Duration.ZERO))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeepAlive.every(Duration.ofMillis(-1)));
    assertEquals("timeout must be positive: PT-1S",
        assertThrows(IllegalArgumentException.class,
            () -> keepAlive.timeout(Duration.ofSeconds(-1))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> keepAlive.timeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> KeepAlive.every(null));
    assertThrows(NullPointerException.class, () -> keepAlive.timeout(null));
    assertThrows(NullPointerException.class, () -> keepAlive.on(null));
    assertThrows(NullPointerException.class, () -> keepAlive.pinging(null));
  }

  @Test
  void durationsBeyondTheNanosecondClockAreRejected() {
    Duration tooLong = Duration.ofDays(365L * 300);

    assertThrows(IllegalArgumentException.class, () -> KeepAlive.every(tooLong));
    assertThrows(IllegalArgumentException.class,
        () -> KeepAlive.every(Duration.ofSeconds(1)).timeout(tooLong));
  }

  @Test
  void disabledStaysDisabledAndLeavesTheFramesAsTheyAre() {
    Flux<Frame> frames = Flux.never();
    KeepAlive disabled = KeepAlive.disabled()
        .timeout(Duration.ofSeconds(1))
        .on(VirtualTimeScheduler.create());

    assertFalse(disabled.isEnabled());
    assertNull(disabled.interval());
    assertSame(frames, disabled.<Frame>pinging(IGNORE_PINGS).apply(frames));
    assertSame(frames, KeepAlive.disabled().<Frame>pinging(IGNORE_PINGS).apply(frames));
  }

  @Test
  void durationsReadAsSecondsMillisecondsOrNanoseconds() {
    assertEquals("10s", KeepAlive.readable(Duration.ofSeconds(10)));
    assertEquals("1500 ms", KeepAlive.readable(Duration.ofMillis(1500)));
    assertEquals("250 ns", KeepAlive.readable(Duration.ofNanos(250)));
  }

  @Test
  void describesItself() {
    assertEquals("KeepAlive(disabled)", KeepAlive.disabled().toString());
    assertEquals("KeepAlive(every 20s, timeout 1500 ms)",
        KeepAlive.every(Duration.ofSeconds(20)).timeout(Duration.ofMillis(1500)).toString());
    assertEquals("KeepAlive(every 20s staggered, timeout 20s)",
        KeepAlive.every(Duration.ofSeconds(20)).staggered().toString());
  }
}

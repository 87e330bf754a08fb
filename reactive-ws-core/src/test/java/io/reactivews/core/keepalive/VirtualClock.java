package io.reactivews.core.keepalive;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A test's virtual time counted from its start: how far it is, and moving to a point in it. */
final class VirtualClock {

  private final VirtualTimeScheduler vts;
  private final long start;

  VirtualClock(VirtualTimeScheduler vts) {
    this.vts = vts;
    this.start = vts.now(TimeUnit.NANOSECONDS);
  }

  Duration elapsed() {
    return Duration.ofNanos(vts.now(TimeUnit.NANOSECONDS) - start);
  }

  void advanceTo(Duration sinceStart) {
    vts.advanceTimeBy(sinceStart.minus(elapsed()));
  }
}

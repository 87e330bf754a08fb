package io.reactivews.core.keepalive;

import io.reactivews.core.frame.Frame;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/** Placeholder until the keepalive operator lands; passes frames through. */
public final class KeepAlive {
  public static KeepAlive disabled() {
    return new KeepAlive();
  }

  public static KeepAlive every(Duration interval) {
    return new KeepAlive();
  }

  public KeepAlive timeout(Duration timeout) {
    return this;
  }

  public KeepAlive on(Scheduler scheduler) {
    return this;
  }

  public Function<Flux<Frame>, Flux<Frame>> pinging(Consumer<byte[]> pings) {
    return f -> f;
  }
}

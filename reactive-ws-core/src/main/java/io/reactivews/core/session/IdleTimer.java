package io.reactivews.core.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Closes a session nobody talks on: when no message has gone either way for the timeout, it
 * calls {@code onIdle}. Activity only records a time; one timer per session wakes at the earliest
 * moment the session could be idle and sleeps again for what is left, so a busy session costs a
 * volatile write per message, not a timer. Thread-safe.
 */
final class IdleTimer {

  private final Scheduler scheduler;
  private final long timeoutNanos;
  private final Runnable onIdle;
  private volatile long lastActivity;
  private volatile Disposable task;
  private volatile boolean stopped;

  IdleTimer(Scheduler scheduler, Duration timeout, Runnable onIdle) {
    this.scheduler = scheduler;
    this.timeoutNanos = timeout.toNanos();
    this.onIdle = onIdle;
  }

  void start() {
    touch();
    schedule(timeoutNanos);
  }

  /** A message went in or out. */
  void touch() {
    lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
  }

  void stop() {
    stopped = true;
    Disposable current = task;
    if (current != null) {
      current.dispose();
    }
  }

  private void schedule(long delayNanos) {
    if (!stopped) {
      task = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    long idleFor = scheduler.now(TimeUnit.NANOSECONDS) - lastActivity;
    if (idleFor >= timeoutNanos) {
      if (!stopped) {
        onIdle.run();
      }
    } else {
      schedule(timeoutNanos - idleFor);
    }
  }
}

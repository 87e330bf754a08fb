package io.reactivews.core.keepalive;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler that runs tasks on another one (virtual time in tests) and counts them: how many
 * were ever scheduled, and how many are still waiting, neither run nor disposed.
 */
final class TaskCountingScheduler implements Scheduler {

  private final Scheduler delegate;
  private final AtomicInteger scheduled = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();

  TaskCountingScheduler(Scheduler delegate) {
    this.delegate = delegate;
  }

  /** Tasks scheduled so far. */
  int scheduled() {
    return scheduled.get();
  }

  /** Tasks that have neither run nor been disposed. */
  int pending() {
    return pending.get();
  }

  @Override
  public Disposable schedule(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    scheduled.incrementAndGet();
    pending.incrementAndGet();
    AtomicBoolean settled = new AtomicBoolean();
    Runnable settle = () -> {
      if (settled.compareAndSet(false, true)) {
        pending.decrementAndGet();
      }
    };
    Disposable inner = delegate.schedule(() -> {
      settle.run();
      task.run();
    }, delay, unit);
    return new Disposable() {
      @Override
      public void dispose() {
        settle.run();
        inner.dispose();
      }

      @Override
      public boolean isDisposed() {
        return inner.isDisposed();
      }
    };
  }

  @Override
  public long now(TimeUnit unit) {
    return delegate.now(unit);
  }

  @Override
  public Worker createWorker() {
    // Workers would hide tasks from the count; the operator is expected to schedule directly.
    throw new UnsupportedOperationException("not counted: schedule tasks directly");
  }

  @Override
  public String toString() {
    return "counting(" + delegate + ")";
  }
}

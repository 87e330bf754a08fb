package io.reactivews.core.keepalive;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.flow.RelaySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.annotation.Nullable;

/**
 * The operator behind {@link KeepAlive#pinging}: items (a session's inbound reads, or frames)
 * pass through untouched while a timer asks for pings and declares the peer dead. The timer is
 * shared by every subscription on the same scheduler ({@link KeepAliveTimer}): a subscription
 * waits in its heap rather than holding a scheduled task of its own.
 *
 * <pre>
 * frames:  --f1--f2----------------------------------- (then silence)
 * timer:          |--interval--|ping|--timeout--|
 * output:  --f1--f2-----------------------------X  onError(1011 "keepalive timeout")
 * </pre>
 *
 * <p>The timer is re-armed lazily: a frame only records the time it arrived, and the timer, when
 * it fires, compares that with the clock and sleeps again for what is left. So a busy connection
 * costs a clock read per frame, not a scheduled task per frame. While downstream has no demand
 * outstanding the timer only looks again an interval later, and when demand returns both clocks
 * start over. The timer stops for good when the stream terminates or is cancelled.
 *
 * <p>Threading: frames, completion and upstream errors arrive serially on the I/O thread; the
 * timer runs on the scheduler, and pings go from there or, given the connection's event loop,
 * from that loop in batches ({@link LoopPings}). The first terminal signal wins, and a half
 * serializer makes sure a timer's error never overlaps an {@code onNext}. Items that arrive
 * after the end are dropped: the source owns them (a transport releases its buffers itself).
 *
 * @param <T> what passes through
 */
final class FluxKeepAlive<T> extends FluxOperator<T, T> {

  private final long intervalNanos;
  private final long timeoutNanos;
  private final boolean staggered;
  @Nullable private final Scheduler scheduler;
  private final Consumer<byte[]> pingSender;
  @Nullable private final Executor loop;

  FluxKeepAlive(
      Flux<? extends T> source,
      long intervalNanos,
      long timeoutNanos,
      boolean staggered,
      @Nullable Scheduler scheduler,
      Consumer<byte[]> pingSender,
      @Nullable Executor loop) {
    super(source);
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.staggered = staggered;
    this.scheduler = scheduler;
    this.pingSender = pingSender;
    this.loop = loop;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    // Looked up per subscription so that virtual time installed by a test applies.
    Scheduler timer = scheduler != null ? scheduler : Schedulers.parallel();
    source.subscribe(new KeepAliveSubscriber<>(actual,
        KeepAliveTimer.on(new KeepAliveTimer.Settings(timer, intervalNanos, timeoutNanos,
            staggered)),
        pingSender, loop));
  }

  @Override
  public Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_ON) {
      return scheduler != null ? scheduler : Schedulers.parallel();
    }
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.ASYNC;
    }
    return super.scanUnsafe(key);
  }

  static final class KeepAliveSubscriber<T> extends RelaySubscriber<T, T> {

    private static final int ACTIVE = 0;
    private static final int TERMINATED = 1;
    private static final int CANCELLED = 2;

    /** What {@link #expire} answers when the subscription needs no further turn. */
    static final long DONE = -1;

    /** The shared timer this waits on; replaced only if it retired before this joined. */
    private volatile KeepAliveTimer timer;
    private final Consumer<byte[]> pingSender;
    /** Where pings are sent ({@link LoopPings}); null to send them on the timer's thread. */
    @Nullable private final Executor loop;

    /** The terminal signal to deliver, null for completion; published by {@link #wip}. */
    private Throwable error;

    // Timer state: touched only by the timer task, of which one runs at a time.
    private boolean awaitingSignOfLife;
    private long pingSentAt;
    /**
     * Pings decided on; also read by the loop, after the hand-over ({@link LoopPings}). An int:
     * at one ping an interval it would take decades to wrap, and every idle connection keeps one.
     */
    private int pingCount;

    /** When a frame last arrived, or demand last returned, on the scheduler's clock. */
    private volatile long lastActivity;

    private volatile long requested;
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<KeepAliveSubscriber> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(KeepAliveSubscriber.class, "requested");

    private volatile int state;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<KeepAliveSubscriber> STATE =
        AtomicIntegerFieldUpdater.newUpdater(KeepAliveSubscriber.class, "state");

    /** Half serializer: 1 while a signal is being delivered, more if a terminal one waits. */
    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<KeepAliveSubscriber> WIP =
        AtomicIntegerFieldUpdater.newUpdater(KeepAliveSubscriber.class, "wip");

    // The timer's bookkeeping, guarded by the timer's lock: when this is next due, its slot in
    // the timer's heap (-1 when not in it), and whether it has left for good.
    long due;
    int slot = -1;
    boolean stopped;

    KeepAliveSubscriber(
        CoreSubscriber<? super T> actual,
        KeepAliveTimer timer,
        Consumer<byte[]> pingSender,
        @Nullable Executor loop) {
      super(actual);
      this.timer = timer;
      this.pingSender = pingSender;
      this.loop = loop;
    }


    @Override
    protected void onSubscribed() {
      lastActivity = timer.now();
      schedule(silenceBeforePing(timer));
    }

    @Override
    public void onNext(T item) {
      if (state != ACTIVE) {
        return; // after the end: the source, which owns it, disposes of it
      }
      lastActivity = timer.now();
      Operators.produced(REQUESTED, this, 1);
      if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
        actual.onNext(item);
        if (WIP.decrementAndGet(this) != 0) {
          deliverTerminal();
        }
      }
      // Else the timer is failing the stream right now: this item came too late; dropped.
    }

    @Override
    public void onError(Throwable t) {
      if (!terminate(t, false)) {
        Operators.onErrorDropped(t, actual.currentContext());
      }
    }

    @Override
    public void onComplete() {
      terminate(null, false);
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        long previous = Operators.addCap(REQUESTED, this, n);
        if (previous == 0) {
          resume();
        }
        upstream.request(n);
      }
    }

    @Override
    public void cancel() {
      if (STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
        stopTimer();
        upstream.cancel();
      }
    }

    /**
     * The timer's turn: pings, fails or waits on. Returns the nanoseconds until the next turn,
     * or {@link #DONE}. Turns of one subscription never overlap: the timer runs one at a time.
     */
    long expire() {
      if (state != ACTIVE) {
        return DONE;
      }
      KeepAliveTimer timer = this.timer;
      long intervalNanos = silenceBeforePing(timer);
      long timeoutNanos = timer.timeoutNanos;
      if (requested == 0) {
        // Downstream asked for nothing, so the silence is ours, not the peer's: look again later.
        // Staying on the timer (rather than leaving and being brought back by request) leaves
        // no window in which returning demand could find no timer.
        return intervalNanos;
      }
      long now = timer.now();
      long last = lastActivity;
      if (awaitingSignOfLife) {
        // A sign of life is activity (a frame, or demand returning) stamped at or after the
        // ping: the ping waited for a silence, so the activity before it is older.
        if (last < pingSentAt) {
          long waited = now - pingSentAt;
          if (waited >= timeoutNanos) {
            terminate(timeoutError(), true);
            return DONE;
          }
          // Wake within an interval anyway, so a frame that ends the wait early is followed by
          // the next ping on time rather than when the timeout would have struck.
          return Math.min(timeoutNanos - waited, intervalNanos);
        }
        awaitingSignOfLife = false;
      }
      long silence = now - last;
      if (silence < intervalNanos) {
        // A negative silence means the clock went back: wait a whole interval.
        return intervalNanos - Math.max(silence, 0);
      }
      awaitingSignOfLife = true;
      pingSentAt = now;
      if (loop != null) {
        pingCount++;
        LoopPings.send(loop, this);
      } else if (!ping(++pingCount)) {
        return DONE;
      }
      return Math.min(timeoutNanos, intervalNanos);
    }

    /**
     * The silence after which this connection is pinged: the interval or, staggered and before
     * its first ping, a point of its own in the interval's second half. Connections opened
     * together (clients reconnecting after a restart) would otherwise be pinged together, and
     * again together every interval after, each wave holding up their event loops at once; the
     * later pings keep the first one's offset, so the waves stay spread, at one ping per
     * interval. The point comes from this subscriber's identity hash: fixed for the connection,
     * spread like a random number, and no field to keep it in.
     */
    private long silenceBeforePing(KeepAliveTimer timer) {
      long interval = timer.intervalNanos;
      if (!timer.staggered || pingCount != 0) {
        return interval;
      }
      double share = (System.identityHashCode(this) & 0xFFFF) / 65536.0;
      return interval - (long) ((interval >>> 1) * share);
    }

    /** On the loop: sends the ping {@link #expire} decided on, unless the stream ended since. */
    void sendDecidedPing() {
      if (state == ACTIVE) {
        ping(pingCount);
      }
    }

    /** Sends ping number {@code number}; false, having failed the stream, if the sender threw. */
    private boolean ping(int number) {
      try {
        pingSender.accept(ByteBuffer.allocate(Long.BYTES).putLong(number).array());
        return true;
      } catch (Throwable t) {
        terminate(Operators.onOperatorError(t, actual.currentContext()), true);
        return false;
      }
    }

    /** The scheduler refused the shared timer's task: this stream fails with that. */
    void rejected(RejectedExecutionException e) {
      terminate(Operators.onRejectedExecution(e, actual.currentContext()), true);
    }

    /** Demand came back after none was outstanding: both clocks start again from zero. */
    private void resume() {
      // The timer sees the change: a wait for a pong ends, the idle interval starts over.
      lastActivity = timer.now();
    }

    /** Waits on the shared timer for {@code delayNanos}; joins a fresh one if it retired. */
    void schedule(long delayNanos) {
      KeepAliveTimer current = timer;
      while (!current.schedule(this, delayNanos)) {
        current = KeepAliveTimer.on(current.settings());
        timer = current;
      }
    }

    private void stopTimer() {
      timer.remove(this);
    }

    /** Ends the stream once; false if it had already ended or been cancelled. */
    private boolean terminate(@Nullable Throwable t, boolean cancelUpstream) {
      if (!STATE.compareAndSet(this, ACTIVE, TERMINATED)) {
        return false;
      }
      stopTimer();
      if (cancelUpstream) {
        upstream.cancel();
      }
      error = t;
      if (WIP.getAndIncrement(this) == 0) {
        deliverTerminal();
      }
      return true;
    }

    private void deliverTerminal() {
      Throwable t = error;
      if (t != null) {
        actual.onError(t);
      } else {
        actual.onComplete();
      }
    }

    private WebSocketException timeoutError() {
      return new WebSocketException(
          CloseStatus.INTERNAL_ERROR.withReason(KeepAlive.TIMEOUT_REASON),
          "no frame from the peer within "
              + KeepAlive.readable(Duration.ofNanos(timer.timeoutNanos))
              + " of a ping");
    }

    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
      if (key == Attr.TERMINATED) {
        return state == TERMINATED;
      }
      if (key == Attr.CANCELLED) {
        return state == CANCELLED;
      }
      if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
        return requested;
      }
      if (key == Attr.RUN_ON) {
        return timer.scheduler();
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.ASYNC;
      }
      return super.scanUnsafe(key);
    }
  }
}

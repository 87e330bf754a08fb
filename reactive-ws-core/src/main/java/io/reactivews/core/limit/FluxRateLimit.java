package io.reactivews.core.limit;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.flow.RelaySubscriber;
import io.reactivews.core.message.Message;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.annotation.Nullable;

/**
 * The operator behind {@link RateLimit#apply}.
 *
 * <pre>
 * SLOW_DOWN, 1 message/s, burst 2:
 * upstream:    --a-b-------c-------d--       (each asked for only when a token is there)
 * downstream:  --a-b-------c-------d--       requests one upstream at a time, timer between
 * DROP, 1 message/s, burst 2:
 * upstream:    --a-b-c-d---------e--
 * downstream:  --a-b-------------e--         c and d dropped (discard hook), reads go on
 * CLOSE:       --a-b-X                       c: error 1008 "rate limit exceeded", source cancelled
 * </pre>
 *
 * <p>Under SLOW_DOWN at most one message is asked for at a time, and only once the bucket holds
 * a token: the transport reads as little as that demand needs. DROP and CLOSE pass demand
 * through. Thread-safety: signals from upstream are serial; requests and the timer may come from
 * any thread, and the demand loop is serialized.
 */
final class FluxRateLimit extends FluxOperator<Message, Message> {

  private final RateLimit limit;
  private final Scheduler scheduler;

  FluxRateLimit(Flux<Message> source, RateLimit limit, Scheduler scheduler) {
    super(source);
    this.limit = limit;
    this.scheduler = scheduler;
  }

  @Override
  public void subscribe(CoreSubscriber<? super Message> actual) {
    source.subscribe(new LimitSubscriber(actual, limit, scheduler));
  }

  @Override
  @Nullable
  public Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_ON) {
      return scheduler;
    }
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.ASYNC;
    }
    return super.scanUnsafe(key);
  }

  static final class LimitSubscriber extends RelaySubscriber<Message, Message>
      implements Runnable {

    private final RateLimit.Excess excess;
    private final Scheduler scheduler;
    private final TokenBucket bucket;

    private volatile long requested;
    private static final AtomicLongFieldUpdater<LimitSubscriber> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(LimitSubscriber.class, "requested");
    private volatile int wip;
    private static final AtomicIntegerFieldUpdater<LimitSubscriber> WIP =
        AtomicIntegerFieldUpdater.newUpdater(LimitSubscriber.class, "wip");

    /** SLOW_DOWN: one message asked for and not yet here. */
    private volatile boolean outstanding;
    private volatile boolean timerPending;
    private volatile Disposable timer;
    private volatile boolean cancelled;
    private boolean done;

    LimitSubscriber(CoreSubscriber<? super Message> actual, RateLimit limit,
        Scheduler scheduler) {
      super(actual);
      this.excess = limit.excess();
      this.scheduler = scheduler;
      this.bucket = new TokenBucket(limit, now());
    }

    private long now() {
      return scheduler.now(TimeUnit.NANOSECONDS);
    }

    @Override
    public void onNext(Message message) {
      if (done) {
        Operators.onNextDropped(message, currentContext());
        return;
      }
      switch (excess) {
        case SLOW_DOWN -> {
          bucket.charge(message.size());
          if (requested != Long.MAX_VALUE) {
            REQUESTED.decrementAndGet(this);
          }
          outstanding = false;
          actual.onNext(message);
          drain();
        }
        case DROP -> {
          if (bucket.tryTake(message.size(), now())) {
            actual.onNext(message);
          } else {
            Operators.onDiscard(message, currentContext());
            upstream.request(1);
          }
        }
        case CLOSE -> {
          if (bucket.tryTake(message.size(), now())) {
            actual.onNext(message);
          } else {
            Operators.onDiscard(message, currentContext());
            upstream.cancel();
            onError(new WebSocketException(RateLimit.EXCEEDED,
                "the peer sent faster than its rate limit"));
          }
        }
        default -> throw new AssertionError(excess);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        Operators.onErrorDropped(t, currentContext());
        return;
      }
      done = true;
      stopTimer();
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      done = true;
      stopTimer();
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      if (excess != RateLimit.Excess.SLOW_DOWN) {
        upstream.request(n);
        return;
      }
      Operators.addCap(REQUESTED, this, n);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      stopTimer();
      upstream.cancel();
    }

    /** The slow-down timer: a token may be there now. */
    @Override
    public void run() {
      timerPending = false;
      drain();
    }

    /** SLOW_DOWN: asks for one message when one is wanted and the bucket allows it. */
    private void drain() {
      if (WIP.getAndIncrement(this) != 0) {
        return;
      }
      int missed = 1;
      for (; ; ) {
        if (!cancelled && !outstanding && requested > 0 && !timerPending) {
          long wait = bucket.reserve(now());
          if (wait == 0) {
            outstanding = true;
            upstream.request(1);
          } else {
            timerPending = true;
            timer = scheduler.schedule(this, wait, TimeUnit.NANOSECONDS);
          }
        }
        missed = WIP.addAndGet(this, -missed);
        if (missed == 0) {
          return;
        }
      }
    }

    private void stopTimer() {
      Disposable t = timer;
      if (t != null) {
        t.dispose();
      }
    }

    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
      if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
        return requested;
      }
      if (key == Attr.CANCELLED) {
        return cancelled;
      }
      if (key == Attr.TERMINATED) {
        return done;
      }
      if (key == Attr.RUN_ON) {
        return scheduler;
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.ASYNC;
      }
      return super.scanUnsafe(key);
    }
  }
}

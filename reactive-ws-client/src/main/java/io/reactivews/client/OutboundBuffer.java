package io.reactivews.client;

import io.reactivews.core.message.Message;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * The outbound messages of a reconnecting connection: a bounded queue that outlives sessions.
 * Each session drains it through {@link #drainer()}, taking a message only when its connection
 * asks for one, so messages wait here (in order) while no session is open.
 *
 * <p>Thread-safe: any thread may emit; one drainer at a time (a new one replaces the last).
 */
final class OutboundBuffer {

  private final int limit;
  private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicReference<Drainer> active = new AtomicReference<>();
  private volatile boolean closed;

  OutboundBuffer(int limit) {
    this.limit = limit;
  }

  /**
   * {@code OK}, {@code FAIL_OVERFLOW} when {@code limit} messages wait, or
   * {@code FAIL_TERMINATED}.
   */
  Sinks.EmitResult tryEmit(Message message) {
    if (closed) {
      return Sinks.EmitResult.FAIL_TERMINATED;
    }
    int n;
    do {
      n = size.get();
      if (n >= limit) {
        return Sinks.EmitResult.FAIL_OVERFLOW;
      }
    } while (!size.compareAndSet(n, n + 1));
    queue.offer(message);
    signal();
    return Sinks.EmitResult.OK;
  }

  int size() {
    return size.get();
  }

  /** No new messages; the drainer completes once it has taken the queued ones. */
  void close() {
    closed = true;
    signal();
  }

  /** No new messages, and the queued ones are dropped. */
  void terminate() {
    closed = true;
    queue.clear();
    size.set(0);
    signal();
  }

  /** The queue as a publisher for one session; replaces the previous session's drainer. */
  Flux<Message> drainer() {
    return new Flux<>() {
      @Override
      public void subscribe(CoreSubscriber<? super Message> actual) {
        Drainer drainer = new Drainer(actual);
        Drainer previous = active.getAndSet(drainer);
        if (previous != null) {
          previous.cancel();
        }
        actual.onSubscribe(drainer);
        drainer.drain();
      }
    };
  }

  private void signal() {
    Drainer drainer = active.get();
    if (drainer != null) {
      drainer.drain();
    }
  }

  private final class Drainer implements Subscription {
    private final CoreSubscriber<? super Message> actual;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private boolean done;

    Drainer(CoreSubscriber<? super Message> actual) {
      this.actual = actual;
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        requested.getAndUpdate(r -> Operators.addCap(r, n));
        drain();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      active.compareAndSet(this, null);
    }

    void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      while (true) {
        long wanted = requested.get();
        long emitted = 0;
        while (emitted != wanted && !cancelled) {
          Message next = queue.poll();
          if (next == null) {
            break;
          }
          size.decrementAndGet();
          actual.onNext(next);
          emitted++;
        }
        if (cancelled || done) {
          return;
        }
        if (closed && queue.isEmpty()) {
          done = true;
          active.compareAndSet(this, null);
          actual.onComplete();
          return;
        }
        if (emitted != 0 && wanted != Long.MAX_VALUE) {
          requested.addAndGet(-emitted);
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }
  }
}

package io.reactivews.core.session;

import io.reactivews.core.internal.PooledMessages;
import io.reactivews.core.internal.PreparedMessage;

import io.reactivews.core.message.Message;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One {@code send()} source: asks for {@code prefetch} messages, then for more in batches of
 * three quarters of prefetch as they are written, so the source is asked far less often than once
 * per message and never has more than prefetch unwritten. {@link #done()} completes once the
 * source completed and all its messages were written, and fails if the session closed first.
 *
 * <p>Thread-safe: the source, the drain loop (which alone calls {@link #written()}) and the
 * session closing may each call in from their own thread.
 *
 * @param <T> {@link Message} or {@link PreparedMessage}
 */
abstract class Sender<T> extends BaseSubscriber<T> {

  /** Where a sender's messages go: the outbound queue, as a sender sees it. */
  interface Outlet {
    /** Whether new messages are taken: no close frame sent, the connection not gone. */
    boolean accepts();

    /** Writes {@code message} now if nothing is ahead of it, else queues it. */
    void write(Message message, Sender<?> from);

    /** Writes {@code message}, whose reference it takes, now if it can, else queues it. */
    void write(PreparedMessage message, Sender<?> from);

    /** Whether messages still queued were dropped: the close discarded them, or the end came. */
    boolean droppedUnwritten();

    /** The error a send() ends with when the session closes before its source is written. */
    Throwable closedError();

    /** {@code sender} ended; forget it. */
    void remove(Sender<?> sender);
  }

  /** A sender of messages, {@code prefetch} at a time. */
  static Sender<Message> ofMessages(Outlet outlet, int prefetch) {
    return new Sender<>(outlet, prefetch) {
      @Override
      void offer(Message message) {
        // A session's received message still in its network buffer: written as it is.
        PreparedMessage pooled = PooledMessages.frameOf(message);
        if (pooled != null) {
          outlet.write(pooled, this);
        } else {
          outlet.write(message, this);
        }
      }

      @Override
      void drop(Message message) {
        PooledMessages.release(message);
        Operators.onDiscard(message, currentContext());
      }
    };
  }

  /** A sender of prepared messages, one at a time: the source keeps the rest, and its policy. */
  static Sender<PreparedMessage> ofPrepared(Outlet outlet) {
    return new Sender<>(outlet, 1) {
      @Override
      void offer(PreparedMessage message) {
        outlet.write(message, this);
      }

      @Override
      void drop(PreparedMessage message) {
        message.release();
      }
    };
  }

  private final Outlet outlet;
  private final int prefetch;
  private final int batch;
  // Offered and not yet written; a field, not an AtomicInteger: one object less per send().
  private volatile int outstanding;
  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<Sender> OUTSTANDING =
      AtomicIntegerFieldUpdater.newUpdater(Sender.class, "outstanding");
  private volatile boolean sourceDone;
  /** Written since the last request; touched only by the drain loop. */
  private int consumed;
  // The send() caller's subscriber and how the source ended; guarded by "this". A sink here
  // would cost a few objects per send() for the whole life of a long send.
  private CoreSubscriber<? super Void> caller;
  private boolean ended;
  private Throwable endError;

  private Sender(Outlet outlet, int prefetch) {
    this.outlet = outlet;
    this.prefetch = prefetch;
    this.batch = Math.max(1, prefetch - (prefetch >> 2));
  }

  /** Hands {@code message} to the outlet. */
  abstract void offer(T message);

  /** Drops {@code message}, which arrived after the close. */
  abstract void drop(T message);

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    subscription.request(prefetch);
  }

  @Override
  protected void hookOnNext(T message) {
    if (!outlet.accepts()) {
      drop(message);
      return;
    }
    OUTSTANDING.incrementAndGet(this);
    offer(message);
  }

  @Override
  protected void hookOnComplete() {
    sourceDone = true;
    finishIfWritten();
  }

  @Override
  protected void hookOnError(Throwable error) {
    outlet.remove(this);
    finish(error);
  }

  /** One of this source's messages left the queue, written or dropped. Drain loop only. */
  void written() {
    if (OUTSTANDING.decrementAndGet(this) == 0 && sourceDone) {
      finishIfWritten();
    } else if (!sourceDone && ++consumed == batch) {
      consumed = 0;
      try {
        request(batch); // the source may emit right here, on the drain loop's thread
      } catch (Throwable t) {
        sourceThrew(t);
      }
    }
  }

  /**
   * The source threw instead of signalling, as Reactor's operators do with JVM errors such as
   * {@link OutOfMemoryError}: the source is done, and its send() fails with the error, which
   * fails the handler as an error signal would, not the thread that happened to be asking.
   */
  void sourceThrew(Throwable error) {
    sourceDone = true;
    dispose();
    outlet.remove(this);
    finish(error);
  }

  /** The session is closing: take nothing more; fail unless everything was written. */
  void stop() {
    if (!sourceDone) {
      dispose();
      outlet.remove(this);
      finish(outlet.closedError());
    }
  }

  /** Completes when the source is done and written; cancelling it cancels the source. */
  Mono<Void> done() {
    return new Mono<>() {
      @Override
      public void subscribe(CoreSubscriber<? super Void> actual) {
        actual.onSubscribe(cancelling());
        boolean alreadyEnded;
        Throwable error;
        synchronized (Sender.this) {
          caller = actual;
          alreadyEnded = ended;
          error = endError;
        }
        if (alreadyEnded) {
          tell(actual, error);
        }
      }
    };
  }

  private void finishIfWritten() {
    if (outstanding == 0) {
      outlet.remove(this);
      finish(outlet.droppedUnwritten() ? outlet.closedError() : null);
    }
  }

  /** What the caller holds: cancelling stops this source (and it holds nothing else). */
  private Subscription cancelling() {
    return new Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {
        synchronized (Sender.this) {
          caller = null;
        }
        dispose();
        // Nothing left to stop at the close: forgotten now, not kept for the session's life.
        outlet.remove(Sender.this);
      }
    };
  }

  /** Ends the send() once: null for success. */
  private void finish(Throwable error) {
    CoreSubscriber<? super Void> target;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      endError = error;
      target = caller;
    }
    if (target != null) {
      tell(target, error);
    }
  }

  private static void tell(CoreSubscriber<? super Void> target, Throwable error) {
    if (error != null) {
      target.onError(error);
    } else {
      target.onComplete();
    }
  }
}

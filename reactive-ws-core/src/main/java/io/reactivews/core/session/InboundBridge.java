package io.reactivews.core.session;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.PooledMessages;
import io.reactivews.core.message.Message;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Connects a session's inbound messages to the application's one subscriber.
 *
 * <p>The session subscribes to the decoding chain when it opens, so the protocol runs whoever
 * listens; the application's demand is passed straight up, so an application that stops
 * requesting stops the socket reads. When the application cancels (or never listens and the
 * session is told to {@link #discard()}), messages are read and dropped from then on: pings are
 * still answered and a close still completes.
 *
 * <p>The bridge is also the application's subscription: an open session keeps one object here.
 *
 * <p>When the subscriber is one of our own {@code send()}s (a session relaying what it
 * receives, {@code session.send(session.receive())} or to another session), nobody reads the
 * messages on the way: the bridge then tells the decoder ({@link #getAsBoolean()}) to leave
 * whole frames in pooled buffers, which that send() writes as they are. Messages dropped here
 * (cancelled, discarding, the session over) give such buffers back.
 *
 * <p>Thread-safe: the application may subscribe from any thread while messages arrive.
 */
final class InboundBridge implements CoreSubscriber<Message>, Subscription, BooleanSupplier {

  private final Owner owner;
  private final IntConsumer onMessage;
  /** Whether the chain above may hand over pooled frames: no inflating, no limiter between. */
  private final boolean mayPool;
  /** The subscriber is a send() of ours: the decoder may pool frames. */
  private volatile boolean pooling;

  // Written under the lock; volatile so that each message and request reads them without it.
  private volatile Subscription upstream;
  private long pendingDemand;
  private volatile CoreSubscriber<? super Message> app;
  private volatile boolean discarding;
  private boolean appCancelled;
  private boolean terminated;
  private Throwable error;
  /** The session ended with nobody reading: upstream's signals are ignored from then on. */
  private volatile boolean stopped;

  /**
   * What the bridge tells its session and asks it. The session is the owner itself, so an open
   * session keeps no callback objects here.
   */
  interface Owner {

    /** Upstream failed; told before the application is. */
    void onInboundError(Throwable t);

    /**
     * Upstream completed: how the application's stream ends, null to complete, else the error to
     * end it with (the close handshake's {@link CloseHandshake#endOfMessages()}, so the bridge
     * keeps no close state of its own).
     */
    Throwable endOfMessages();

    /** Every message read was delivered or dropped, and upstream ended; told before the app. */
    void inputHandled();
  }

  /**
   * A bridge.
   *
   * @param owner told of upstream errors, and asked how the application's stream ends
   * @param onMessage told of each message's size before the application is, or null
   * @param mayPool whether the decoder above can pool frames and every stage between passes
   *     them straight on, so that pooling may start when a send() subscribes
   */
  InboundBridge(Owner owner, IntConsumer onMessage, boolean mayPool) {
    this.owner = owner;
    this.onMessage = onMessage;
    this.mayPool = mayPool;
  }

  /** Whether the decoder may leave frames in pooled buffers now: a send() of ours reads. */
  @Override
  public boolean getAsBoolean() {
    return pooling;
  }

  /** The application's view: one subscriber; a second one gets an error. */
  Flux<Message> flux() {
    return new Flux<>() {
      @Override
      public void subscribe(CoreSubscriber<? super Message> actual) {
        attach(actual);
      }
    };
  }

  /** Whether the application subscribed. */
  synchronized boolean hasSubscriber() {
    return app != null;
  }

  /** Whether messages are read and dropped. */
  boolean discards() {
    return discarding;
  }

  /** Reads and drops every message from now on. */
  void discard() {
    Subscription s;
    synchronized (this) {
      if (discarding) {
        return;
      }
      discarding = true;
      pooling = false;
      s = upstream;
    }
    if (s != null) {
      s.request(Long.MAX_VALUE);
    }
  }

  private void attach(CoreSubscriber<? super Message> actual) {
    boolean ended;
    Throwable failure;
    synchronized (this) {
      if (app != null || discarding) {
        Operators.error(actual, new IllegalStateException(
            "receive() allows one subscriber, and only before the session discards messages"));
        return;
      }
      app = actual;
      pooling = mayPool && actual instanceof Sender;
      ended = terminated;
      failure = error;
    }
    actual.onSubscribe(this);
    if (ended) {
      if (failure != null) {
        actual.onError(failure);
      } else {
        actual.onComplete();
      }
    }
  }

  /** The application's demand, passed upstream, or kept until upstream subscribes. */
  @Override
  public void request(long n) {
    if (!Operators.validate(n)) {
      return;
    }
    Subscription s = upstream;
    if (s == null) {
      synchronized (this) {
        s = upstream;
        if (s == null) {
          pendingDemand = Operators.addCap(pendingDemand, n);
        }
      }
    }
    if (s != null) {
      s.request(n);
    }
  }

  /**
   * The session ended before its messages did. Unless the application subscribed (then it reads
   * on at its own pace), what is left is read and dropped upstream, so its buffers go back, and
   * a subscriber that comes later hears the session's {@code status}.
   */
  void dropUnread(CloseStatus status) {
    Subscription s;
    synchronized (this) {
      if (terminated || app != null || discarding) {
        return; // the usual case: no exception made for nobody
      }
      stopped = true;
      pooling = false;
      s = upstream;
      end(new WebSocketException(status, status.reason()));
    }
    if (s != null) {
      s.cancel();
    }
  }

  /** The application cancelled: read on and drop, so the close handshake still works. */
  @Override
  public void cancel() {
    synchronized (this) {
      appCancelled = true;
    }
    discard();
  }

  @Override
  public Context currentContext() {
    return Context.empty();
  }

  @Override
  public void onSubscribe(Subscription s) {
    long demand;
    synchronized (this) {
      upstream = s;
      demand = discarding ? Long.MAX_VALUE : pendingDemand;
    }
    if (demand > 0) {
      s.request(demand);
    }
  }

  @Override
  public void onNext(Message message) {
    if (onMessage != null) {
      onMessage.accept(message.size());
    }
    // No lock: a message racing the application's cancel may still reach it, as the spec allows.
    CoreSubscriber<? super Message> target = discarding || stopped ? null : app;
    if (target != null) {
      target.onNext(message);
    } else {
      PooledMessages.release(message);
    }
  }

  @Override
  public void onError(Throwable t) {
    if (stopped) {
      return;
    }
    owner.onInboundError(t);
    CoreSubscriber<? super Message> target = end(t);
    owner.inputHandled();
    if (target != null) {
      target.onError(t);
    }
  }

  @Override
  public void onComplete() {
    if (stopped) {
      return;
    }
    Throwable failure = owner.endOfMessages();
    if (failure != null) {
      onError(failure);
      return;
    }
    CoreSubscriber<? super Message> target = end(null);
    owner.inputHandled();
    if (target != null) {
      target.onComplete();
    }
  }

  /** Marks the end; the application to tell of it, if it listens. */
  private synchronized CoreSubscriber<? super Message> end(Throwable t) {
    terminated = true;
    error = t;
    return appCancelled ? null : app;
  }
}

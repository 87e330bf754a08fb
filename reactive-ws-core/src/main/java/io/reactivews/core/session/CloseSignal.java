package io.reactivews.core.session;

import io.reactivews.core.close.CloseStatus;
import java.util.ArrayList;
import java.util.List;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The one moment a session ends, and its status, as {@code Mono}s any number of subscribers may
 * wait on: {@link #status()} emits the status, {@link #done()} completes. It decides nothing: the
 * {@link CloseHandshake} decides the status, and the session hands it here.
 *
 * <p>Why not a {@code Sinks.One}: a session lives long and is mostly idle, and a sink with its
 * serializing wrapper costs several objects before anyone subscribes. Here the session pays one
 * small object, and each waiting subscriber one more. Thread-safe; {@link #complete} counts once.
 */
final class CloseSignal {

  private volatile CloseStatus status;
  // Guarded by "this": null, one Waiter, or a list of them.
  private Object waiting;

  /** Ends with {@code closed}, telling every waiting subscriber; false if it had ended already. */
  boolean complete(CloseStatus closed) {
    Object toTell;
    synchronized (this) {
      if (status != null) {
        return false;
      }
      status = closed;
      toTell = waiting;
      waiting = null;
    }
    if (toTell instanceof Waiter one) {
      one.tell(closed);
    } else if (toTell != null) {
      @SuppressWarnings("unchecked")
      List<Waiter> all = (List<Waiter>) toTell;
      all.forEach(w -> w.tell(closed));
    }
    return true;
  }

  /** Emits the status once the session ended. */
  Mono<CloseStatus> status() {
    return new Mono<>() {
      @Override
      public void subscribe(CoreSubscriber<? super CloseStatus> actual) {
        enqueue(new Waiter(actual, true));
      }
    };
  }

  /** Completes once the session ended. */
  Mono<Void> done() {
    return new Mono<>() {
      @Override
      public void subscribe(CoreSubscriber<? super Void> actual) {
        enqueue(new Waiter(actual, false));
      }
    };
  }

  private void enqueue(Waiter waiter) {
    waiter.actual().onSubscribe(waiter);
    CloseStatus ended;
    synchronized (this) {
      ended = status;
      if (ended == null) {
        add(waiter);
        return;
      }
    }
    waiter.tell(ended);
  }

  @SuppressWarnings("unchecked")
  private void add(Waiter waiter) {
    if (waiting == null) {
      waiting = waiter;
    } else if (waiting instanceof Waiter one) {
      List<Waiter> all = new ArrayList<>(4);
      all.add(one);
      all.add(waiter);
      waiting = all;
    } else {
      ((List<Waiter>) waiting).add(waiter);
    }
  }

  @SuppressWarnings("unchecked")
  private synchronized void forget(Waiter waiter) {
    if (waiting == waiter) {
      waiting = null;
    } else if (waiting instanceof List<?> all) {
      ((List<Waiter>) all).remove(waiter);
    }
  }

  /** One subscriber: gets the status (or just completion) when it is requested and known. */
  private final class Waiter extends Operators.MonoSubscriber<Object, Object> {
    private final boolean withValue;

    @SuppressWarnings("unchecked")
    Waiter(CoreSubscriber<?> actual, boolean withValue) {
      super((CoreSubscriber<? super Object>) actual);
      this.withValue = withValue;
    }

    void tell(CloseStatus closed) {
      if (withValue) {
        complete(closed);
      } else if (!isCancelled()) {
        actual.onComplete();
      }
    }

    @Override
    public int requestFusion(int requestedMode) {
      return Fuseable.NONE;
    }

    @Override
    public void cancel() {
      super.cancel();
      forget(this);
    }
  }
}

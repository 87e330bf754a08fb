package io.reactivews.core.session;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.DrivenSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
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
 * small object, and each waiting subscriber one more; a listener that watches every session
 * ({@link #whenEnded}) costs nothing per session. Thread-safe; {@link #complete} counts once.
 */
final class CloseSignal {

  private final DrivenSession session;
  private volatile CloseStatus status;
  // Guarded by "this": null, one Waiter or listener, or a list of them.
  private Object waiting;

  CloseSignal(DrivenSession session) {
    this.session = session;
  }

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
    if (toTell instanceof List<?> all) {
      all.forEach(w -> tell(w, closed));
    } else if (toTell != null) {
      tell(toTell, closed);
    }
    return true;
  }

  /** Calls {@code ended} with the session and its status once it ended: at once if it has. */
  void whenEnded(BiConsumer<? super DrivenSession, ? super CloseStatus> ended) {
    waitOrTell(ended);
  }

  /** Keeps {@code waiter} (a Waiter or a listener) until the end, or tells it now if it came. */
  private void waitOrTell(Object waiter) {
    CloseStatus ended;
    synchronized (this) {
      ended = status;
      if (ended == null) {
        add(waiter);
        return;
      }
    }
    tell(waiter, ended);
  }

  @SuppressWarnings("unchecked")
  private void tell(Object one, CloseStatus closed) {
    if (one instanceof Waiter waiter) {
      waiter.tell(closed);
    } else {
      ((BiConsumer<? super DrivenSession, ? super CloseStatus>) one).accept(session, closed);
    }
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
    waitOrTell(waiter);
  }

  @SuppressWarnings("unchecked")
  private void add(Object waiter) {
    if (waiting == null) {
      waiting = waiter;
    } else if (waiting instanceof List<?> all) {
      ((List<Object>) all).add(waiter);
    } else {
      List<Object> all = new ArrayList<>(4);
      all.add(waiting);
      all.add(waiter);
      waiting = all;
    }
  }

  private synchronized void forget(Waiter waiter) {
    if (waiting == waiter) {
      waiting = null;
    } else if (waiting instanceof List<?> all) {
      all.remove(waiter);
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

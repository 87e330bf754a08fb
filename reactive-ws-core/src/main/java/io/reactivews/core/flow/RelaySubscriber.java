package io.reactivews.core.flow;

import java.util.Objects;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.util.annotation.Nullable;
import reactor.util.context.Context;

/**
 * What every operator of the inbound chain shares: it sits between one upstream subscription and
 * one downstream subscriber, takes the first subscription only (a second is cancelled and
 * reported, as Reactive Streams rule 2.5 asks), passes downstream's context up, and names both
 * ends to Reactor's {@link Scannable} tooling.
 *
 * <p>Subclasses add their signals and the {@link Subscription} methods; one that answers more
 * scan keys overrides {@link #scanUnsafe} and ends with {@code return super.scanUnsafe(key)}.
 *
 * @param <I> what arrives from upstream
 * @param <O> what goes downstream
 */
public abstract class RelaySubscriber<I, O> implements CoreSubscriber<I>, Subscription, Scannable {

  /** Downstream. */
  protected final CoreSubscriber<? super O> actual;
  /** Upstream, set once by {@link #onSubscribe}. */
  protected Subscription upstream;

  protected RelaySubscriber(CoreSubscriber<? super O> actual) {
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  @Override
  public final Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public final void onSubscribe(Subscription s) {
    if (Operators.validate(upstream, s)) {
      upstream = s;
      actual.onSubscribe(this);
      onSubscribed();
    }
  }

  /** Runs once, after downstream has been handed this subscription. */
  protected void onSubscribed() {}

  @Override
  @Nullable
  public Object scanUnsafe(Attr key) {
    if (key == Attr.PARENT) {
      return upstream;
    }
    if (key == Attr.ACTUAL) {
      return actual;
    }
    return null;
  }
}

package io.reactivews.client;

import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.util.context.Context;
import reactor.util.retry.Retry;

/**
 * A {@link Retry} that tells a listener about each failure right after the wrapped retry has
 * seen it. "After" matters: a retry that gives up fails within that call, so by the time the
 * listener runs, a connection that will not be retried is already closed.
 */
final class ReportingRetry {

  private ReportingRetry() {}

  static Retry of(Retry retry, Consumer<Retry.RetrySignal> listener) {
    return Retry.from(signals -> retry.generateCompanion(new AfterEach(signals, listener)));
  }

  private static final class AfterEach extends FluxOperator<Retry.RetrySignal, Retry.RetrySignal> {
    private final Consumer<Retry.RetrySignal> listener;

    AfterEach(Flux<Retry.RetrySignal> source, Consumer<Retry.RetrySignal> listener) {
      super(source);
      this.listener = listener;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Retry.RetrySignal> actual) {
      source.subscribe(new CoreSubscriber<Retry.RetrySignal>() {
        @Override
        public Context currentContext() {
          return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
          actual.onSubscribe(s);
        }

        @Override
        public void onNext(Retry.RetrySignal signal) {
          Retry.RetrySignal copy = signal.copy(); // the original may be reused once passed on
          actual.onNext(signal);
          listener.accept(copy);
        }

        @Override
        public void onError(Throwable t) {
          actual.onError(t);
        }

        @Override
        public void onComplete() {
          actual.onComplete();
        }
      });
    }
  }
}

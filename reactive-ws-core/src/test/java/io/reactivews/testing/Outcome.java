package io.reactivews.testing;

import io.reactivews.core.WebSocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Everything a publisher signalled to a subscriber that requested without limit: its values in
 * order, then how it ended. For tests that run one pipeline per chop and compare whole outcomes,
 * where a {@code StepVerifier} script per chop would be noise.
 *
 * <pre>{@code
 * Outcome<Frame> outcome = Outcome.of(source.flux().transform(decoder));
 * outcome.assertError(1002, "reserved opcode 0x3");
 * }</pre>
 *
 * @param <T> the value type
 */
public final class Outcome<T> {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<T> values;
  private final Throwable error;

  private Outcome(List<T> values, Throwable error) {
    this.values = values;
    this.error = error;
  }

  /**
   * Subscribes, requests {@code Long.MAX_VALUE} and waits (up to ten seconds) for the end.
   *
   * @throws AssertionError if the publisher does not end in time
   */
  public static <T> Outcome<T> of(Publisher<T> publisher) {
    List<T> values = new ArrayList<>();
    Throwable[] error = new Throwable[1];
    CountDownLatch done = new CountDownLatch(1);
    publisher.subscribe(new Subscriber<T>() {
      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T value) {
        synchronized (values) {
          values.add(value);
        }
      }

      @Override
      public void onError(Throwable t) {
        error[0] = t;
        done.countDown();
      }

      @Override
      public void onComplete() {
        done.countDown();
      }
    });
    try {
      if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("no terminal signal within " + TIMEOUT + "; values " + values);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    synchronized (values) {
      return new Outcome<>(List.copyOf(values), error[0]);
    }
  }

  /** The values, in the order they arrived. */
  public List<T> values() {
    return values;
  }

  /** The error, or {@code null} if the publisher completed. */
  public Throwable error() {
    return error;
  }

  /** Asserts the publisher completed, and returns its values. */
  public List<T> assertCompleted() {
    if (error != null) {
      throw new AssertionError("expected completion after " + values + " but got " + error, error);
    }
    return values;
  }

  /**
   * Asserts the publisher failed with a {@link WebSocketException} carrying {@code code} whose
   * message contains {@code fragment}, and returns the values that came before the error.
   */
  public List<T> assertError(int code, String fragment) {
    if (!(error instanceof WebSocketException wse)) {
      throw new AssertionError("expected a WebSocketException " + code + " \"" + fragment
          + "\" after " + values + " but got " + (error == null ? "completion" : error), error);
    }
    if (wse.code() != code || wse.getMessage() == null || !wse.getMessage().contains(fragment)) {
      throw new AssertionError("expected " + code + " \"" + fragment + "\" but got "
          + wse.code() + " \"" + wse.getMessage() + "\"", wse);
    }
    return values;
  }

  @Override
  public String toString() {
    return values + (error == null ? " completed" : " failed: " + error);
  }
}

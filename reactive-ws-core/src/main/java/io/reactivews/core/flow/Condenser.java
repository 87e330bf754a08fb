package io.reactivews.core.flow;

import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.annotation.Nullable;

/**
 * A {@link Transducer} for stages that turn each input into at most one output: frames into
 * messages. Since no input yields two outputs, nothing ever waits for demand, so there is no
 * queue and no hand-off between threads: an output goes to downstream from inside {@link
 * Transducer.Stage#onInput}.
 *
 * <pre>
 * input:   --f1--f2--f3--------f4--|
 * stage:     .   .   m1        m2
 * output:  ----------m1--------m2--|
 * </pre>
 *
 * <p>Demand: downstream's requests pass upstream unchanged, and each input that yields nothing
 * is replaced by a request for one more. So the inputs asked for never exceed the outputs asked
 * for plus the inputs that turned out to yield none: a subscriber that stops requesting stops
 * the source. Costs no atomic operation per input.
 *
 * <p>Terminal behaviour as {@link Transducer}'s: a stage exception cancels upstream and becomes
 * {@code onError}; {@link Transducer.Emitter#complete()} ends the stream after the current
 * input's output and cancels upstream. Inputs are borrowed. A stage that emits twice for one
 * input, or emits from {@code onEnd} (where no demand covers it), fails with an {@link
 * IllegalStateException}.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class Condenser<I, O> extends FluxOperator<I, O> {

  private final Supplier<? extends Transducer.Stage<I, O>> stages;

  private Condenser(Flux<? extends I> source, Supplier<? extends Transducer.Stage<I, O>> stages) {
    super(source);
    this.stages = stages;
  }

  /** Applies a fresh stage from {@code stages} to each subscription of {@code source}. */
  public static <I, O> Flux<O> apply(
      Flux<? extends I> source, Supplier<? extends Transducer.Stage<I, O>> stages) {
    return new Condenser<>(source, Objects.requireNonNull(stages, "stages"));
  }

  @Override
  public void subscribe(CoreSubscriber<? super O> actual) {
    source.subscribe(new CondenserSubscriber<>(actual, stages.get()));
  }

  @Override
  public Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  static final class CondenserSubscriber<I, O> extends RelaySubscriber<I, O>
      implements Transducer.Emitter<O> {

    private final Transducer.Stage<I, O> stage;

    // Written by the thread delivering inputs, which the source serializes.
    private boolean emitted;
    private boolean inInput;
    private boolean stageCompleted;
    private boolean done;
    private volatile boolean cancelled;

    CondenserSubscriber(CoreSubscriber<? super O> actual, Transducer.Stage<I, O> stage) {
      super(actual);
      this.stage = stage;
    }


    @Override
    public void onNext(I input) {
      if (done || cancelled) {
        return;
      }
      emitted = false;
      inInput = true;
      try {
        stage.onInput(input, this);
      } catch (Throwable t) {
        inInput = false;
        done = true;
        actual.onError(Operators.onOperatorError(
            upstream, Transducer.recoverable(t), input, actual.currentContext()));
        return;
      }
      inInput = false;
      if (stageCompleted) {
        done = true;
        upstream.cancel();
        actual.onComplete();
      } else if (!emitted && !cancelled) {
        upstream.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        Operators.onErrorDropped(t, actual.currentContext());
        return;
      }
      done = true;
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      done = true;
      try {
        stage.onEnd(this);
      } catch (Throwable t) {
        actual.onError(
            Operators.onOperatorError(Transducer.recoverable(t), actual.currentContext()));
        return;
      }
      actual.onComplete();
    }

    @Override
    public void emit(O output) {
      if (!inInput || emitted) {
        throw new IllegalStateException(
            inInput ? "a second output for one input" : "an output with no input to carry it");
      }
      emitted = true;
      actual.onNext(output);
    }

    @Override
    public void complete() {
      stageCompleted = true;
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      cancelled = true;
      upstream.cancel();
    }

    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
      if (key == Attr.TERMINATED) {
        return done;
      }
      if (key == Attr.CANCELLED) {
        return cancelled;
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.SYNC;
      }
      return super.scanUnsafe(key);
    }
  }
}

package io.reactivews.core.flow;

import io.reactivews.core.WebSocketException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.annotation.Nullable;
import reactor.util.concurrent.Queues;

/**
 * An operator that feeds each input to a {@link Stage}, which turns it into zero or more
 * outputs: bytes into frames, frames into messages.
 *
 * <pre>
 * input:   --[b1]------[b2 b3]-------|
 * stage:     f1 f2      (nothing)  f3
 * output:  --f1--f2--------------f3--|
 * </pre>
 *
 * <p>Demand: it asks upstream for one input at a time, and only when every output so far has
 * been delivered and downstream wants more. So it holds at most one input's worth of outputs,
 * and a subscriber that stops requesting stops the source. An input that yields nothing is
 * followed at once by a request for the next (as {@code bufferUntil} does).
 *
 * <p>Terminal behaviour: an exception from the stage cancels upstream and is delivered as
 * {@code onError} after the outputs produced before it, in order. {@link Emitter#complete()}
 * lets a stage end the stream early (a close frame ends the messages), cancelling upstream. Inputs
 * are borrowed: the stage must copy what it keeps, and nothing is released here; inputs that
 * arrive after the end are ignored, since their owner (the source) disposes of them. Queued
 * outputs are passed to the stage's {@link Stage#discard} and then the discard hook on cancel,
 * and the stage is {@linkplain Stage#dispose() disposed} once the stream is over.
 *
 * <p>Cost: while downstream has demand, outputs go to it straight from {@link Emitter#emit}, with
 * no queue; the queue only holds what demand does not cover. An input costs a few atomic
 * operations, however many outputs it yields.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class Transducer<I, O> extends FluxOperator<I, O> {

  /**
   * Per-subscription logic: called serially, never concurrently.
   *
   * @param <I> the input type
   * @param <O> the output type
   */
  public interface Stage<I, O> {

    /** Handles one input; throws to fail the stream. */
    void onInput(I input, Emitter<O> out);

    /** Upstream completed: emit what remains, or throw if ending here is an error. */
    default void onEnd(Emitter<O> out) {}

    /** An output queued and never delivered (a cancel): release what it holds. */
    default void discard(O output) {}

    /**
     * The stream is over (completed, failed or cancelled): release what the stage holds. Called
     * once, never while {@link #onInput} runs.
     */
    default void dispose() {}
  }

  /**
   * Where a stage puts its outputs.
   *
   * @param <O> the output type
   */
  public interface Emitter<O> {

    /** Delivers one output in order, or queues it until downstream asks for it. */
    void emit(O output);

    /** Ends the stream after the outputs queued so far, and stops reading upstream. */
    void complete();
  }

  private final Supplier<? extends Stage<I, O>> stages;

  private Transducer(Flux<? extends I> source, Supplier<? extends Stage<I, O>> stages) {
    super(source);
    this.stages = stages;
  }

  /** Applies a fresh stage from {@code stages} to each subscription of {@code source}. */
  public static <I, O> Flux<O> apply(
      Flux<? extends I> source, Supplier<? extends Stage<I, O>> stages) {
    return new Transducer<>(source, Objects.requireNonNull(stages, "stages"));
  }

  @Override
  public void subscribe(CoreSubscriber<? super O> actual) {
    source.subscribe(new TransducerSubscriber<>(actual, stages.get()));
  }

  /**
   * A stage's failure as the stream's error. Reactor rethrows a JVM error from an operator, up
   * through the transport and past the stage's {@code dispose}; but a frame or message that
   * found no memory (direct memory used up, most often) fails its connection only, with 1011,
   * and the stage lets go of what it holds.
   */
  static Throwable recoverable(Throwable t) {
    return t instanceof OutOfMemoryError
        ? WebSocketException.internalError("could not receive a message", t) : t;
  }

  @Override
  public Object scanUnsafe(Attr key) {
    if (key == Attr.PREFETCH) {
      return 1;
    }
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  private static final Queue<?> NO_QUEUE = Queues.empty().get();

  @SuppressWarnings("unchecked")
  static final class TransducerSubscriber<I, O> extends RelaySubscriber<I, O>
      implements Emitter<O> {

    private final Stage<I, O> stage;
    // Made at the first output: an idle connection keeps none.
    private Queue<O> queue = (Queue<O>) NO_QUEUE;

    private boolean stageCompleted;
    private Throwable error;
    private volatile boolean done;
    private volatile boolean cancelled;
    /** One input was asked for and has not arrived. */
    private volatile boolean awaitingInput;
    /** The stage is handling an input: a cancel leaves disposing it to that thread. */
    private volatile boolean inInput;
    private volatile int disposed;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<TransducerSubscriber> DISPOSED =
        AtomicIntegerFieldUpdater.newUpdater(TransducerSubscriber.class, "disposed");

    // Direct delivery: only touched by the thread that holds the drain (wip), or that is inside
    // the drain's own request upstream.
    /** Whether emit may hand outputs to downstream at once: this thread runs the drain. */
    private boolean direct;
    /** Outputs delivered directly during the current input, not yet taken off requested. */
    private long directlyDelivered;
    /** The thread inside the drain's request upstream, which may deliver an input at once. */
    private Thread requesting;

    private volatile long requested;
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<TransducerSubscriber> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(TransducerSubscriber.class, "requested");

    private volatile int wip;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<TransducerSubscriber> WIP =
        AtomicIntegerFieldUpdater.newUpdater(TransducerSubscriber.class, "wip");

    TransducerSubscriber(CoreSubscriber<? super O> actual, Stage<I, O> stage) {
      super(actual);
      this.stage = stage;
    }


    @Override
    public void onNext(I input) {
      if (done) {
        return;
      }
      // Paired with cancel(): of the two, at least one sees the other, and disposes the stage.
      inInput = true;
      if (cancelled) {
        inInput = false;
        dispose();
        return;
      }
      // Inside the drain's own request upstream this thread holds the drain already.
      boolean nested = requesting == Thread.currentThread();
      boolean owner = !nested && wip == 0 && WIP.compareAndSet(this, 0, 1);
      direct = nested || owner;
      try {
        stage.onInput(input, this);
      } catch (Throwable t) {
        error = Operators.onOperatorError(upstream, recoverable(t), input, actual.currentContext());
        done = true;
      }
      inInput = false;
      if (done || cancelled) {
        dispose();
      }
      direct = false;
      if (directlyDelivered != 0) {
        Operators.produced(REQUESTED, this, directlyDelivered);
        directlyDelivered = 0;
      }
      if (stageCompleted && !done) {
        upstream.cancel();
        done = true;
      }
      awaitingInput = false;
      if (owner) {
        drainLoop(1);
      } else {
        drain(); // nested: tells the drain around us to look again
      }
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        Operators.onErrorDropped(t, actual.currentContext());
        return;
      }
      error = t;
      done = true;
      dispose();
      drain();
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      try {
        stage.onEnd(this);
      } catch (Throwable t) {
        error = Operators.onOperatorError(recoverable(t), actual.currentContext());
      }
      done = true;
      dispose();
      drain();
    }

    /** Lets the stage release what it holds, once. */
    private void dispose() {
      if (DISPOSED.compareAndSet(this, 0, 1)) {
        stage.dispose();
      }
    }

    /** Drops the outputs nobody will read: the stage releases them, then the discard hook. */
    private void discardQueue() {
      O output;
      while ((output = queue.poll()) != null) {
        stage.discard(output);
        Operators.onDiscard(output, actual.currentContext());
      }
    }

    @Override
    public void emit(O output) {
      if (direct && !cancelled && queue.isEmpty()) {
        long r = requested;
        if (r == Long.MAX_VALUE || r > directlyDelivered) {
          directlyDelivered++;
          actual.onNext(output);
          return;
        }
      }
      if (queue == NO_QUEUE) {
        queue = Queues.<O>unbounded(16).get();
      }
      queue.offer(output);
    }

    @Override
    public void complete() {
      stageCompleted = true;
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        Operators.addCap(REQUESTED, this, n);
        drain();
      }
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      upstream.cancel();
      if (!inInput) {
        dispose();
      }
      drain(); // drops what is queued, and what a racing input queues after
    }

    private void drain() {
      if (WIP.getAndIncrement(this) != 0) {
        return;
      }
      drainLoop(1);
    }

    /** Delivers what demand covers and asks for the next input; the caller holds the drain. */
    private void drainLoop(int missed) {
      for (; ; ) {
        if (cancelled) {
          discardQueue();
          missed = WIP.addAndGet(this, -missed);
          if (missed == 0) {
            return;
          }
          continue;
        }
        long r = requested;
        long e = 0;
        while (e != r) {
          if (cancelled) {
            break;
          }
          boolean d = done;
          O output = queue.poll();
          if (output == null) {
            if (d) {
              terminate();
              return;
            }
            break;
          }
          actual.onNext(output);
          e++;
        }
        if (cancelled) {
          continue;
        }
        if (done && queue.isEmpty()) {
          terminate();
          return;
        }
        if (e != 0 && r != Long.MAX_VALUE) {
          r = REQUESTED.addAndGet(this, -e);
        }
        if (r != 0 && queue.isEmpty() && !done && !awaitingInput) {
          awaitingInput = true;
          requesting = Thread.currentThread();
          try {
            upstream.request(1);
          } finally {
            requesting = null;
          }
        }
        missed = WIP.addAndGet(this, -missed);
        if (missed == 0) {
          return;
        }
      }
    }

    private void terminate() {
      Throwable t = error;
      if (t != null) {
        actual.onError(t);
      } else {
        actual.onComplete();
      }
    }

    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
      if (key == Attr.TERMINATED) {
        return done && queue.isEmpty();
      }
      if (key == Attr.CANCELLED) {
        return cancelled;
      }
      if (key == Attr.ERROR) {
        return error;
      }
      if (key == Attr.BUFFERED) {
        return queue.size();
      }
      if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
        return requested;
      }
      if (key == Attr.PREFETCH) {
        return 1;
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.SYNC;
      }
      return super.scanUnsafe(key);
    }
  }
}

package io.reactivews.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * The operator under the decoder and the assembler: one input at a time, outputs in order,
 * terminal signals after the outputs before them, and nothing asked of upstream once it ends.
 */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransducerTest {

  /**
   * Emits each character of an input as its own output; '!' fails the stage, '.' ends the
   * stream; at the end of input, emits "end".
   */
  private static final class Chars implements Transducer.Stage<String, String> {
    final List<String> inputs = new CopyOnWriteArrayList<>();

    @Override
    public void onInput(String input, Transducer.Emitter<String> out) {
      inputs.add(input);
      for (char c : input.toCharArray()) {
        if (c == '!') {
          throw new IllegalStateException("bang in " + input);
        }
        if (c == '.') {
          out.complete();
          return;
        }
        out.emit(String.valueOf(c));
      }
    }

    @Override
    public void onEnd(Transducer.Emitter<String> out) {
      out.emit("end");
    }
  }

  private static Flux<String> chars(Flux<String> source) {
    return Transducer.apply(source, Chars::new);
  }

  @Test
  void outputsComeInOrderAndInputsWithoutOutputAreSkipped() {
    StepVerifier.create(chars(Flux.just("ab", "", "c")))
        .expectNext("a", "b", "c", "end")
        .verifyComplete();
  }

  @Test
  void aStageErrorComesAfterTheOutputsBeforeItAndCancelsUpstream() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()))
        .then(() -> source.next("ab"))
        .then(() -> source.next("cd!x"))
        .expectNext("a", "b", "c", "d")
        .verifyErrorMessage("bang in cd!x");
    source.assertCancelled();
  }

  @Test
  void anErrorWaitsBehindOutputsNobodyRequestedYet() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()), 0)
        .thenRequest(1)
        .then(() -> source.next("ab!"))
        .expectNext("a")
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(1)
        .expectNext("b")
        .verifyErrorMessage("bang in ab!");
  }

  @Test
  void anUpstreamErrorComesAfterQueuedOutputs() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()), 0)
        .thenRequest(1)
        .then(() -> source.next("xyz"))
        .then(() -> source.error(new IllegalArgumentException("reset")))
        .expectNext("x")
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(2)
        .expectNext("y", "z")
        .verifyErrorMessage("reset");
  }

  @Test
  void completionWaitsForQueuedOutputsButNotForDemand() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()), 0)
        .thenRequest(1)
        .then(() -> source.next("pq"))
        .then(source::complete)
        .expectNext("p")
        .thenRequest(2)
        .expectNext("q", "end")
        .verifyComplete();
  }

  @Test
  void onEndMayFail() {
    Flux<String> failing = Transducer.apply(Flux.just("a"), () -> new Transducer.Stage<>() {
      @Override
      public void onInput(String input, Transducer.Emitter<String> out) {
        out.emit(input);
      }

      @Override
      public void onEnd(Transducer.Emitter<String> out) {
        throw new IllegalStateException("ended too soon");
      }
    });
    StepVerifier.create(failing).expectNext("a").verifyErrorMessage("ended too soon");
  }

  @Test
  void aStageMayEndTheStreamEarlyCancellingUpstream() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()))
        .then(() -> source.next("ab.cd"))
        .expectNext("a", "b")
        .verifyComplete();
    source.assertCancelled();
  }

  @Test
  void cancellingMidStreamStopsUpstream() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()), 0)
        .thenRequest(1)
        .then(() -> source.next("abc"))
        .expectNext("a")
        .thenCancel()
        .verify();
    source.assertCancelled();
  }

  @Test
  void queuedOutputsAreDiscardedOnCancel() {
    List<Object> discarded = new CopyOnWriteArrayList<>();
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(chars(source.flux()).doOnDiscard(Object.class, discarded::add), 0)
        .thenRequest(1)
        .then(() -> source.next("abc"))
        .expectNext("a")
        .thenCancel()
        .verify();
    assertEquals(List.of("b", "c"), discarded);
  }

  /** One input at a time; an input that yields nothing is followed at once by the next. */
  @Test
  void upstreamIsAskedForOneInputAtATime() {
    List<Long> requests = new CopyOnWriteArrayList<>();
    Flux<String> source = Flux.just("", "", "ab", "c").doOnRequest(requests::add);
    StepVerifier.create(chars(source), 0)
        .thenRequest(1)
        .expectNext("a")
        .then(() -> assertEquals(List.of(1L, 1L, 1L), requests, "two empty inputs, then ab"))
        .thenRequest(1)
        .expectNext("b")
        .then(() -> assertEquals(3, requests.size(), "b was already held"))
        .thenRequest(Long.MAX_VALUE)
        .expectNext("c", "end")
        .verifyComplete();
    assertTrue(requests.stream().allMatch(n -> n == 1), "requests " + requests);
  }

  /** After completion, and after a stage ended the stream, demand never reaches upstream. */
  @Test
  void nothingIsRequestedAfterTheEnd() {
    for (String last : new String[] {"z", "z.never"}) {
      List<Long> requests = new CopyOnWriteArrayList<>();
      AtomicInteger terminated = new AtomicInteger();
      List<String> seen = new ArrayList<>();
      chars(Flux.just("xy", last).doOnRequest(requests::add)).subscribe(new BaseSubscriber<>() {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
          request(1);
        }

        @Override
        protected void hookOnNext(String value) {
          seen.add(value);
          request(1);
        }

        @Override
        protected void hookOnComplete() {
          terminated.incrementAndGet();
          request(5);
        }
      });
      int before = requests.size();
      assertEquals(1, terminated.get());
      assertEquals(last.equals("z") ? List.of("x", "y", "z", "end") : List.of("x", "y", "z"), seen);
      assertEquals(2, before, "one request per input: " + requests);
    }
  }

  @Test
  void inputsArrivingAfterTheEndAreIgnored() {
    Chars stage = new Chars();
    TestPublisher<String> source =
        TestPublisher.createNoncompliant(
            TestPublisher.Violation.CLEANUP_ON_TERMINATE, TestPublisher.Violation.REQUEST_OVERFLOW);
    StepVerifier.create(Transducer.apply(source.flux(), () -> stage))
        .then(() -> source.next("a."))
        .expectNext("a")
        .verifyComplete();
    source.next("late");
    assertEquals(List.of("a."), stage.inputs);
  }

  @Test
  void eachSubscriptionGetsAFreshStage() {
    AtomicInteger stages = new AtomicInteger();
    Flux<String> flux = Transducer.apply(Flux.just("a"), () -> {
      stages.incrementAndGet();
      return new Chars();
    });
    flux.blockLast();
    flux.blockLast();
    assertEquals(2, stages.get());
  }

  /** Inputs on one thread, requests from another: everything arrives, once, in order. */
  @Test
  void concurrentRequestsAndInputsLoseNothing() {
    Scheduler producer = Schedulers.newSingle("producer");
    Scheduler consumer = Schedulers.newSingle("consumer");
    try {
      for (int round = 0; round < 20; round++) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          expected.add(Integer.toString(i % 10));
          expected.add(Integer.toString((i + 1) % 10));
        }
        expected.add("end");
        Flux<String> source = Flux.range(0, 2000)
            .map(i -> i % 10 + "" + (i + 1) % 10)
            .subscribeOn(producer);
        List<String> out = chars(source).publishOn(consumer, 3).collectList().block();
        assertEquals(expected, out, "round " + round);
      }
    } finally {
      producer.dispose();
      consumer.dispose();
    }
  }

  @Test
  void reportsItsShapeToTooling() {
    Flux<String> flux = chars(Flux.just("a"));
    assertEquals(1, Scannable.from(flux).scan(Scannable.Attr.PREFETCH));
    assertEquals(Scannable.Attr.RunStyle.SYNC, Scannable.from(flux).scan(Scannable.Attr.RUN_STYLE));
  }

  /**
   * While demand covers them, outputs go to downstream as the stage emits them, so nothing is
   * queued behind the one being delivered; outputs past the demand wait in the queue.
   */
  @Test
  void outputsCoveredByDemandAreDeliveredWithoutQueueing() {
    TestPublisher<String> source = TestPublisher.create();
    List<String> received = new ArrayList<>();
    List<Integer> queuedDuringDelivery = new ArrayList<>();
    Scannable[] transducer = new Scannable[1];
    BaseSubscriber<String> subscriber = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        transducer[0] = Scannable.from(subscription);
        request(2);
      }

      @Override
      protected void hookOnNext(String value) {
        received.add(value);
        queuedDuringDelivery.add(transducer[0].scan(Scannable.Attr.BUFFERED));
      }
    };
    chars(source.flux()).subscribe(subscriber);
    source.next("abc");
    assertEquals(List.of("a", "b"), received);
    assertEquals(List.of(0, 0), queuedDuringDelivery);
    assertEquals(1, transducer[0].scan(Scannable.Attr.BUFFERED), "c waits for demand");
    subscriber.request(5);
    source.next("d");
    assertEquals(List.of("a", "b", "c", "d"), received);
    subscriber.dispose();
  }

  /** Counts what the stage is asked to let go of. */
  private static final class Releasing implements Transducer.Stage<String, String> {
    final List<String> discarded = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger disposed =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onInput(String input, Transducer.Emitter<String> out) {
      if (input.equals("!")) {
        throw new IllegalStateException("bang");
      }
      for (char c : input.toCharArray()) {
        out.emit(String.valueOf(c));
      }
    }

    @Override
    public void discard(String output) {
      discarded.add(output);
    }

    @Override
    public void dispose() {
      disposed.incrementAndGet();
    }
  }

  @Test
  void aCancelHandsTheQueuedOutputsToTheStageAndDisposesItOnce() {
    Releasing stage = new Releasing();
    StepVerifier.create(Transducer.apply(Flux.just("abcd", "ef"), () -> stage), 1)
        .expectNext("a")
        .thenCancel()
        .verify(Duration.ofSeconds(5));
    assertEquals(List.of("b", "c", "d"), stage.discarded);
    assertEquals(1, stage.disposed.get());
  }

  @Test
  void theStageIsDisposedOnceWhateverEndsTheStream() {
    Releasing completed = new Releasing();
    StepVerifier.create(Transducer.apply(Flux.just("ab"), () -> completed))
        .expectNext("a", "b").verifyComplete();
    Releasing failed = new Releasing();
    StepVerifier.create(Transducer.apply(Flux.just("a", "!", "b"), () -> failed))
        .expectNext("a").verifyError(IllegalStateException.class);
    Releasing upstreamFailed = new Releasing();
    StepVerifier.create(Transducer.apply(
            Flux.just("a").concatWith(Flux.error(new IllegalArgumentException("up"))),
            () -> upstreamFailed))
        .expectNext("a").verifyError(IllegalArgumentException.class);
    for (Releasing stage : List.of(completed, failed, upstreamFailed)) {
      assertEquals(1, stage.disposed.get());
      assertEquals(List.of(), stage.discarded);
    }
  }
}

package io.reactivews.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * The operator under the assembler: at most one output per input, demand passed straight up,
 * one more input asked for each input that yields nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CondenserTest {

  /**
   * Joins inputs until one ends with ';', then emits the joined text without it; "." ends the
   * stream, "!" fails the stage, "twice" emits two outputs.
   */
  private static final class Lines implements Transducer.Stage<String, String> {
    private final StringBuilder line = new StringBuilder();

    @Override
    public void onInput(String input, Transducer.Emitter<String> out) {
      switch (input) {
        case "." -> out.complete();
        case "!" -> throw new IllegalStateException("bang");
        case "twice" -> {
          out.emit("one");
          out.emit("two");
        }
        default -> {
          line.append(input);
          if (input.endsWith(";")) {
            out.emit(line.substring(0, line.length() - 1));
            line.setLength(0);
          }
        }
      }
    }
  }

  private static Flux<String> lines(Flux<String> source) {
    return Condenser.apply(source, Lines::new);
  }

  @Test
  void inputsAreJoinedIntoOutputsInOrder() {
    StepVerifier.create(lines(Flux.just("a", "b;", "c;", "d", "e;")))
        .expectNext("ab", "c", "de")
        .verifyComplete();
  }

  /** Requests for outputs pass up as they are; an input with no output costs one more. */
  @Test
  void demandPassesStraightUpPlusOneForEachInputThatYieldsNothing() {
    AtomicLong requested = new AtomicLong();
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(lines(source.flux().doOnRequest(requested::addAndGet)), 0)
        .thenRequest(2)
        .then(() -> assertEquals(2, requested.get()))
        .then(() -> source.next("x;"))
        .expectNext("x")
        .then(() -> source.next("y"))
        .then(() -> assertEquals(3, requested.get(), "one more for the input with no output"))
        .then(() -> source.next("z;"))
        .expectNext("yz")
        .then(() -> assertEquals(3, requested.get(), "no demand left, nothing more asked"))
        .thenCancel()
        .verify();
    source.assertCancelled();
  }

  @Test
  void completingEndsTheStreamAndCancelsUpstream() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(lines(source.flux()))
        .then(() -> source.next("a;", "."))
        .expectNext("a")
        .verifyComplete();
    source.assertCancelled();
  }

  @Test
  void aStageErrorCancelsUpstreamAndFailsTheStream() {
    TestPublisher<String> source = TestPublisher.create();
    StepVerifier.create(lines(source.flux()))
        .then(() -> source.next("a;", "!"))
        .expectNext("a")
        .verifyErrorMessage("bang");
    source.assertCancelled();
  }

  @Test
  void twoOutputsForOneInputAreAnError() {
    StepVerifier.create(lines(Flux.just("twice")))
        .expectNext("one")
        .verifyErrorMessage("a second output for one input");
  }
}

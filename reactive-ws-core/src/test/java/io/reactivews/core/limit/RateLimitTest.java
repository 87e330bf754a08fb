package io.reactivews.core.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

/**
 * The token bucket as an operator, on virtual time: each {@link RateLimit.Excess} mode, bursts,
 * the byte rate, demand (what the source is asked for), cancellation and the timer.
 */
class RateLimitTest {

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @AfterEach
  void stop() {
    clock.dispose();
  }

  private static Message line(int n) {
    return Message.text("line " + n);
  }

  private static Flux<Message> lines(int count) {
    return Flux.range(1, count).map(RateLimitTest::line);
  }

  @Test
  void slowDownLetsTheBurstThroughThenOneMessagePerToken() {
    RateLimit limit = RateLimit.messagesPerSecond(2).burst(3, 1).scheduler(clock);
    StepVerifier.withVirtualTime(() -> lines(7).transform(limit::apply), () -> clock, 100)
        .expectNext(line(1), line(2), line(3))
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(line(4))
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(line(5))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(line(6), line(7))
        .verifyComplete();
  }

  @Test
  void slowDownAsksTheSourceForOneMessageOnlyWhenATokenIsThere() {
    TestPublisher<Message> source = TestPublisher.createCold();
    for (int i = 1; i <= 5; i++) {
      source.next(line(i));
    }
    AtomicLong asked = new AtomicLong();
    RateLimit limit = RateLimit.messagesPerSecond(1).burst(2, 1).scheduler(clock);
    StepVerifier.create(source.flux().doOnRequest(asked::addAndGet).transform(limit::apply))
        .expectNext(line(1), line(2))
        .then(() -> assertEquals(2, asked.get(), "asked for the burst only"))
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1)))
        .expectNext(line(3))
        .then(() -> assertEquals(3, asked.get(), "one more per token"))
        .thenCancel()
        .verify();
  }

  @Test
  void slowDownHonoursDownstreamDemand() {
    RateLimit limit = RateLimit.messagesPerSecond(100).scheduler(clock);
    StepVerifier.create(lines(10).transform(limit::apply), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(2)
        .expectNext(line(1), line(2))
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(8)
        .expectNextCount(8)
        .verifyComplete();
  }

  @Test
  void slowDownHoldsTheByteRateOnAverageEvenForAMessageLargerThanTheBurst() {
    Message big = Message.binary(new byte[3000]);
    Message small = Message.binary(new byte[10]);
    RateLimit limit = RateLimit.bytesPerSecond(1000).burst(1, 1000).scheduler(clock);
    StepVerifier.withVirtualTime(() -> Flux.just(big, small).transform(limit::apply),
            () -> clock, 10)
        .expectNext(big)
        // 3000 bytes against a full bucket of 1000: 2000 in debt, repaid in two seconds.
        .expectNoEvent(Duration.ofMillis(2000))
        .thenAwait(Duration.ofMillis(2))
        .expectNext(small)
        .verifyComplete();
  }

  @Test
  void dropPassesTheBurstAndDropsTheRestUntilTokensRefill() {
    List<Object> discarded = new ArrayList<>();
    RateLimit limit = RateLimit.messagesPerSecond(1).burst(2, 1)
        .onExcess(RateLimit.Excess.DROP).scheduler(clock);
    TestPublisher<Message> source = TestPublisher.create();
    StepVerifier.create(source.flux().transform(limit::apply)
            .contextWrite(Context.of("reactor.onDiscard.local",
                (java.util.function.Consumer<Object>) discarded::add)))
        .then(() -> source.next(line(1), line(2), line(3), line(4)))
        .expectNext(line(1), line(2))
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1)))
        .then(() -> source.next(line(5), line(6)))
        .expectNext(line(5))
        .then(source::complete)
        .verifyComplete();
    assertEquals(List.of(line(3), line(4), line(6)), discarded);
  }

  @Test
  void dropKeepsAskingForMoreSoReadsGoOnAtFullSpeed() {
    AtomicLong asked = new AtomicLong();
    RateLimit limit = RateLimit.messagesPerSecond(1).burst(1, 1)
        .onExcess(RateLimit.Excess.DROP).scheduler(clock);
    StepVerifier.create(lines(5).doOnRequest(asked::addAndGet).transform(limit::apply), 2)
        .expectNext(line(1))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    assertEquals(6, asked.get(), "the two asked for, then one more per dropped line");
  }

  @Test
  void closeFailsWith1008AtTheFirstMessagePastTheLimitAndCancelsTheSource() {
    RateLimit limit = RateLimit.of(1, 0).burst(2, 1)
        .onExcess(RateLimit.Excess.CLOSE).scheduler(clock);
    TestPublisher<Message> source = TestPublisher.createNoncompliant(
        TestPublisher.Violation.CLEANUP_ON_TERMINATE);
    StepVerifier.create(source.flux().transform(limit::apply))
        .then(() -> source.next(line(1), line(2), line(3)))
        .expectNext(line(1), line(2))
        .expectErrorSatisfies(e -> {
          WebSocketException failure = (WebSocketException) e;
          assertEquals(1008, failure.status().code());
          assertEquals("rate limit exceeded", failure.status().reason());
        })
        .verify();
    source.assertCancelled();
  }

  @Test
  void closeLetsAPeerWithinItsRateGoOnForever() {
    RateLimit limit = RateLimit.messagesPerSecond(10).burst(1, 1)
        .onExcess(RateLimit.Excess.CLOSE).scheduler(clock);
    StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofMillis(100), clock).take(50)
            .map(i -> line(i.intValue())).transform(limit::apply), () -> clock, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(5))
        .expectNextCount(50)
        .verifyComplete();
  }

  @Test
  void cancellingWhileWaitingForATokenCancelsTheSourceAndAsksForNothingMore() {
    TestPublisher<Message> source = TestPublisher.createCold();
    source.next(line(1), line(2), line(3));
    AtomicLong asked = new AtomicLong();
    RateLimit limit = RateLimit.messagesPerSecond(1).burst(1, 1).scheduler(clock);
    StepVerifier.create(source.flux().doOnRequest(asked::addAndGet).transform(limit::apply))
        .expectNext(line(1))
        .thenCancel()
        .verify();
    clock.advanceTimeBy(Duration.ofSeconds(10));
    source.assertCancelled();
    assertEquals(1, asked.get());
  }

  @Test
  void anErrorFromTheSourcePassesThrough() {
    RateLimit limit = RateLimit.messagesPerSecond(1).scheduler(clock);
    StepVerifier.create(Flux.<Message>error(new IllegalStateException("boom"))
            .transform(limit::apply))
        .expectErrorMessage("boom")
        .verify();
  }

  @Test
  void scansItsSchedulerAndDemand() {
    RateLimit limit = RateLimit.messagesPerSecond(1).scheduler(clock);
    Flux<Message> limited = limit.apply(lines(1));
    assertEquals(clock, Scannable.from(limited).scanUnsafe(Scannable.Attr.RUN_ON));
  }

  @Test
  void specsAreValidatedAndImmutable() {
    assertThrows(IllegalArgumentException.class, () -> RateLimit.of(0, 0));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.of(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.messagesPerSecond(1).burst(0, 1));
    RateLimit base = RateLimit.of(5, 100);
    RateLimit dropping = base.onExcess(RateLimit.Excess.DROP);
    assertEquals(RateLimit.Excess.SLOW_DOWN, base.excess());
    assertEquals(RateLimit.Excess.DROP, dropping.excess());
    assertEquals(5, base.burstMessages());
    assertEquals(100, base.burstBytes());
  }
}

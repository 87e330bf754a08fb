package io.reactivews.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.RaceTestUtils;

/** Pings, dead-peer detection and pass-through of {@link KeepAlive#pinging}, on virtual time. */
class FluxKeepAliveTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(4);
  private static final Duration NANO = Duration.ofNanos(1);
  private static final KeepAlive KEEP_ALIVE = KeepAlive.every(INTERVAL).timeout(TIMEOUT);

  private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
  private final TaskCountingScheduler timers = new TaskCountingScheduler(vts);
  private final VirtualClock time = new VirtualClock(vts);
  private final TestPublisher<Frame> peer = TestPublisher.create();

  /** When each ping was asked for, since the test started. */
  private final List<Duration> pingTimes = new ArrayList<>();
  private final List<byte[]> pingPayloads = new ArrayList<>();
  private final Consumer<byte[]> pingSender = payload -> {
    pingTimes.add(time.elapsed());
    pingPayloads.add(payload);
  };

  private Flux<Frame> keptAlive(KeepAlive spec) {
    return peer.flux().transform(spec.on(timers).pinging(pingSender));
  }

  private TestSubscriber<Frame> subscribe(KeepAlive spec, long initialRequest) {
    TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(initialRequest).build();
    keptAlive(spec).subscribe(down);
    return down;
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static Frame text(String text) {
    return Frame.of(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Frame pong(byte[] payload) {
    return Frame.of(Opcode.PONG, payload);
  }

  private static WebSocketException timeoutOf(TestSubscriber<Frame> down) {
    return assertInstanceOf(WebSocketException.class, down.expectTerminalError());
  }

  @Test
  void passesFramesThroughUnchangedInOrderAskingUpstreamForExactlyWhatDownstreamAsks() {
    Frame a = text("a");
    Frame b = Frame.of(Opcode.BINARY, new byte[] {1, 2});
    Frame c = Frame.empty(Opcode.PING);
    List<Long> requests = new ArrayList<>();
    Flux<Frame> frames = Flux.just(a, b, c).doOnRequest(requests::add)
        .transform(KEEP_ALIVE.on(timers).pinging(pingSender));

    StepVerifier.create(frames, 0)
        .expectSubscription()
        .then(() -> assertEquals(List.of(), requests, "nothing asked for before demand"))
        .thenRequest(1)
        .expectNextMatches(frame -> frame == a)
        .then(() -> assertEquals(List.of(1L), requests))
        .thenRequest(2)
        .expectNextMatches(frame -> frame == b)
        .expectNextMatches(frame -> frame == c)
        .verifyComplete();
    assertEquals(List.of(1L, 2L), requests);
  }

  @Test
  void asksForAPingAfterAnIntervalOfSilenceAndNotBefore() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(INTERVAL.minus(NANO));
    assertEquals(List.of(), pingTimes);

    time.advanceTo(INTERVAL);
    assertEquals(List.of(INTERVAL), pingTimes);
    assertFalse(down.isTerminatedOrCancelled());
  }

  @Test
  void pingPayloadsAreEightByteBigEndianCountersFromOne() {
    subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(seconds(10));
    peer.next(pong(pingPayloads.get(0)));
    time.advanceTo(seconds(20));

    assertEquals(2, pingPayloads.size());
    assertArrayEquals(HexFormat.of().parseHex("0000000000000001"), pingPayloads.get(0));
    assertArrayEquals(HexFormat.of().parseHex("0000000000000002"), pingPayloads.get(1));
  }

  @Test
  void trafficDefersThePing() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(seconds(6));
    peer.next(text("busy"));
    time.advanceTo(seconds(16).minus(NANO));
    assertEquals(List.of(), pingTimes);

    time.advanceTo(seconds(16));
    assertEquals(List.of(seconds(16)), pingTimes);
    assertEquals(1, down.getReceivedOnNext().size());
  }

  @ParameterizedTest
  @EnumSource(Opcode.class)
  void anyFrameIsASignOfLife(Opcode opcode) {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(seconds(6));
    peer.next(Frame.of(opcode, new byte[0]));
    time.advanceTo(seconds(16));
    assertEquals(List.of(seconds(16)), pingTimes, "the frame at 6s reset the idle clock");

    time.advanceTo(seconds(19));
    peer.next(Frame.of(opcode, new byte[0]));
    time.advanceTo(seconds(29).minus(NANO));
    assertFalse(down.isTerminated(), "the frame 3s after the ping answered it");
    assertEquals(List.of(seconds(16)), pingTimes);
  }

  @Test
  void aPeerThatAnswersKeepsTheConnectionAliveForManyIntervals() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    for (int round = 0; round < 100; round++) {
      vts.advanceTimeBy(INTERVAL);
      assertEquals(round + 1, pingPayloads.size(), "a ping per round");
      vts.advanceTimeBy(seconds(1));
      peer.next(pong(pingPayloads.get(round)));
    }

    assertFalse(down.isTerminatedOrCancelled());
    assertEquals(100, down.getReceivedOnNext().size());
    // Each ping comes an interval after the previous pong: 10s, 21s, 32s, ...
    assertEquals(seconds(10 + 11 * 99), pingTimes.get(99));
    assertEquals(1, timers.pending(), "one timer at a time");
  }

  @Test
  void aSilentPeerFailsAtIntervalPlusTimeoutWith1011() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(INTERVAL.plus(TIMEOUT).minus(NANO));
    assertFalse(down.isTerminated());
    peer.assertNotCancelled();

    time.advanceTo(INTERVAL.plus(TIMEOUT));
    WebSocketException failure = timeoutOf(down);
    assertEquals(1011, failure.code());
    assertEquals(CloseStatus.INTERNAL_ERROR.withReason("keepalive timeout"), failure.status());
    assertEquals("keepalive timeout", failure.status().reason());
    assertEquals("no frame from the peer within 4s of a ping", failure.getMessage());
    peer.assertCancelled();
    assertEquals(List.of(INTERVAL), pingTimes);
    assertEquals(0, timers.pending(), "no timer left behind");
  }

  @Test
  void aTimeoutLongerThanTheIntervalStillMeansOnePingThenFailure() {
    TestSubscriber<Frame> down =
        subscribe(KeepAlive.every(seconds(10)).timeout(Duration.ofMillis(25_500)), Long.MAX_VALUE);

    time.advanceTo(Duration.ofMillis(35_500).minus(NANO));
    assertFalse(down.isTerminated());
    assertEquals(List.of(seconds(10)), pingTimes, "no second ping while waiting for the first");

    time.advanceTo(Duration.ofMillis(35_500));
    WebSocketException failure = timeoutOf(down);
    assertEquals(1011, failure.code());
    assertEquals("no frame from the peer within 25500 ms of a ping", failure.getMessage());
  }

  @Test
  void aTimeoutLongerThanTheIntervalDoesNotDelayThePingAfterAnAnswer() {
    subscribe(KeepAlive.every(seconds(10)).timeout(seconds(25)), Long.MAX_VALUE);

    time.advanceTo(seconds(11));
    peer.next(pong(pingPayloads.get(0)));
    time.advanceTo(seconds(21));

    assertEquals(List.of(seconds(10), seconds(21)), pingTimes);
  }

  @Test
  void aTimeoutLongerThanTheIntervalDoesNotDelayThePingAfterALateAnswer() {
    subscribe(KeepAlive.every(seconds(10)).timeout(seconds(25)), Long.MAX_VALUE);

    time.advanceTo(seconds(21));
    peer.next(pong(pingPayloads.get(0)));
    time.advanceTo(seconds(31));

    assertEquals(List.of(seconds(10), seconds(31)), pingTimes);
  }

  @Test
  void aFrameAfterThePingCallsOffTheTimeoutAndStartsANewInterval() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    time.advanceTo(seconds(13));
    peer.next(text("late but alive"));
    time.advanceTo(seconds(23).minus(NANO));
    assertFalse(down.isTerminated());
    assertEquals(List.of(seconds(10)), pingTimes);

    time.advanceTo(seconds(27).minus(NANO));
    assertEquals(List.of(seconds(10), seconds(23)), pingTimes);
    assertFalse(down.isTerminated());

    time.advanceTo(seconds(27));
    assertEquals(1011, timeoutOf(down).code());
  }

  @Test
  void withoutDemandThereIsNoPingAndNoFailureHoweverLongWeWait() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, 0);

    time.advanceTo(Duration.ofDays(1));
    assertEquals(List.of(), pingTimes);
    assertFalse(down.isTerminatedOrCancelled());

    down.request(1);
    time.advanceTo(Duration.ofDays(1).plus(INTERVAL).minus(NANO));
    assertEquals(List.of(), pingTimes, "the clock starts when demand arrives");
    time.advanceTo(Duration.ofDays(1).plus(INTERVAL));
    assertEquals(List.of(Duration.ofDays(1).plus(INTERVAL)), pingTimes);

    time.advanceTo(Duration.ofDays(1).plus(INTERVAL).plus(TIMEOUT).minus(NANO));
    assertFalse(down.isTerminated());
    time.advanceTo(Duration.ofDays(1).plus(INTERVAL).plus(TIMEOUT));
    assertEquals(1011, timeoutOf(down).code());
  }

  @Test
  void demandRunningOutStopsBothClocksUntilItReturns() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, 1);

    time.advanceTo(seconds(3));
    peer.next(text("the only one asked for"));
    time.advanceTo(Duration.ofHours(1));
    assertEquals(List.of(), pingTimes);
    assertFalse(down.isTerminated());

    down.request(1);
    time.advanceTo(Duration.ofHours(1).plus(INTERVAL).minus(NANO));
    assertEquals(List.of(), pingTimes);
    time.advanceTo(Duration.ofHours(1).plus(INTERVAL).plus(TIMEOUT));
    assertEquals(List.of(Duration.ofHours(1).plus(INTERVAL)), pingTimes);
    assertEquals(1011, timeoutOf(down).code());
  }

  @Test
  void demandReturningRestartsTheClockEvenBeforeTheTimerNoticedItWasGone() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, 1);

    time.advanceTo(seconds(3));
    peer.next(text("a"));
    time.advanceTo(seconds(5));
    down.request(1);

    time.advanceTo(seconds(15).minus(NANO));
    assertEquals(List.of(), pingTimes, "silence before 5s was ours, not the peer's");
    time.advanceTo(seconds(15));
    assertEquals(List.of(seconds(15)), pingTimes);
  }

  @Test
  void cancelStopsEveryTimer() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);
    time.advanceTo(seconds(12)); // a ping is out, the timeout is running

    down.cancel();
    assertEquals(0, timers.pending());
    peer.assertCancelled();

    time.advanceTo(Duration.ofHours(1));
    assertEquals(List.of(seconds(10)), pingTimes);
    assertFalse(down.isTerminated(), "no timeout error after cancel");
  }

  @Test
  void completionPassesThroughAndStopsEveryTimer() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);
    Frame last = text("bye");

    time.advanceTo(seconds(5));
    peer.next(last);
    peer.complete();

    assertTrue(down.isTerminatedComplete());
    assertEquals(List.of(last), down.getReceivedOnNext());
    assertEquals(0, timers.pending());
    time.advanceTo(Duration.ofHours(1));
    assertEquals(List.of(), pingTimes);
  }

  @Test
  void upstreamErrorPassesThroughAndStopsEveryTimer() {
    TestSubscriber<Frame> down = subscribe(KEEP_ALIVE, Long.MAX_VALUE);
    WebSocketException broken = WebSocketException.protocolError("reserved opcode 0x3");

    time.advanceTo(seconds(12));
    peer.error(broken);

    assertSame(broken, down.expectTerminalError());
    assertEquals(0, timers.pending());
    time.advanceTo(Duration.ofHours(1));
    assertEquals(List.of(seconds(10)), pingTimes);
  }

  @Test
  void aFailingPingSenderFailsTheStream() {
    IllegalStateException outboundClosed = new IllegalStateException("outbound closed");
    TestSubscriber<Frame> down = TestSubscriber.create();
    peer.flux()
        .transform(KEEP_ALIVE.on(timers).pinging(payload -> {
          throw outboundClosed;
        }))
        .subscribe(down);

    time.advanceTo(INTERVAL);

    assertSame(outboundClosed, down.expectTerminalError());
    peer.assertCancelled();
    assertEquals(0, timers.pending());
  }

  @Test
  void framesDoNotScheduleTimers() {
    subscribe(KEEP_ALIVE, Long.MAX_VALUE);

    for (int i = 1; i <= 999; i++) {
      time.advanceTo(Duration.ofMillis(9 * i));
      peer.next(text("tick"));
    }

    assertEquals(1, timers.scheduled(), "the first timer still stands");
    time.advanceTo(INTERVAL);
    assertEquals(2, timers.scheduled(), "re-armed once, when it fired");
    assertEquals(1, timers.pending());
  }

  @Test
  void disabledReturnsTheFramesAsTheyAre() {
    Flux<Frame> frames = peer.flux();
    KeepAlive disabled = KeepAlive.disabled().timeout(TIMEOUT).on(timers);

    assertSame(frames, disabled.<Frame>pinging(pingSender).apply(frames));
    StepVerifier.create(frames.transform(disabled.pinging(pingSender)))
        .then(() -> vts.advanceTimeBy(Duration.ofDays(1)))
        .then(() -> peer.next(text("x")).complete())
        .expectNextCount(1)
        .verifyComplete();
    assertEquals(List.of(), pingTimes);
    assertEquals(0, timers.scheduled());
  }

  @Test
  void runsOnTheParallelSchedulerByDefault() {
    List<byte[]> pings = new ArrayList<>();
    StepVerifier.withVirtualTime(() ->
            Flux.<Frame>never().transform(KeepAlive.every(INTERVAL).pinging(pings::add)))
        .expectSubscription()
        .expectNoEvent(INTERVAL.minus(NANO))
        .then(() -> assertEquals(0, pings.size()))
        .thenAwait(NANO)
        .then(() -> assertEquals(1, pings.size()))
        // The timeout defaults to the interval.
        .expectNoEvent(INTERVAL.minus(NANO))
        .thenAwait(NANO)
        .expectErrorSatisfies(e -> assertEquals(
            "no frame from the peer within 10s of a ping", e.getMessage()))
        .verify();
  }

  @Test
  void reportsItsSchedulerAndStateWhenScanned() {
    AtomicReference<Subscription> upstream = new AtomicReference<>();
    BaseSubscriber<Frame> down = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        upstream.set(subscription); // and ask for nothing yet
      }
    };
    keptAlive(KEEP_ALIVE).subscribe(down);
    Scannable operator = Scannable.from(upstream.get());

    assertSame(timers, operator.scanUnsafe(Scannable.Attr.RUN_ON));
    assertSame(down, operator.scanUnsafe(Scannable.Attr.ACTUAL));
    down.request(3);
    assertEquals(3L, operator.scan(Scannable.Attr.REQUESTED_FROM_DOWNSTREAM));
    assertFalse(operator.scan(Scannable.Attr.CANCELLED));
    down.cancel();
    assertTrue(operator.scan(Scannable.Attr.CANCELLED));
    assertFalse(operator.scan(Scannable.Attr.TERMINATED));
  }

  @Test
  void aTimeoutRacingAFrameNeverOverlapsItNorIsFollowedByIt() {
    for (int round = 0; round < 2000; round++) {
      VirtualTimeScheduler clock = VirtualTimeScheduler.create();
      TestPublisher<Frame> source = TestPublisher.create();
      SignalRecorder down = new SignalRecorder();
      source.flux().transform(KEEP_ALIVE.on(clock).pinging(payload -> {})).subscribe(down);
      clock.advanceTimeBy(INTERVAL.plus(TIMEOUT).minus(NANO));

      RaceTestUtils.race(
          () -> source.next(text("just in time?")), () -> clock.advanceTimeBy(NANO));

      assertFalse(down.overlapped, "onNext and onError ran at the same time");
      List<String> signals = List.copyOf(down.signals);
      assertTrue(
          signals.equals(List.of("next"))
              || signals.equals(List.of("error"))
              || signals.equals(List.of("next", "error")),
          signals::toString);
    }
  }

  @Test
  void demandReturningJustAsTheTimerFiresIsNeverLost() {
    for (int round = 0; round < 2000; round++) {
      VirtualTimeScheduler clock = VirtualTimeScheduler.create();
      TaskCountingScheduler counted = new TaskCountingScheduler(clock);
      TestPublisher<Frame> source = TestPublisher.create();
      AtomicInteger pings = new AtomicInteger();
      TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(1).build();
      source.flux()
          .transform(KEEP_ALIVE.on(counted).pinging(payload -> pings.incrementAndGet()))
          .subscribe(down);
      clock.advanceTimeBy(seconds(1));
      source.next(text("uses up the demand"));
      clock.advanceTimeBy(seconds(9).minus(NANO)); // the timer is due in 1ns

      RaceTestUtils.race(() -> down.request(1), () -> clock.advanceTimeBy(NANO));

      clock.advanceTimeBy(INTERVAL);
      assertEquals(1, pings.get(), "a ping within an interval of demand coming back");
      assertEquals(1, counted.pending());
    }
  }

  /** Records signals and notices when two of them are delivered at once. */
  private static final class SignalRecorder extends BaseSubscriber<Frame> {
    final List<String> signals = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean overlapped;

    private void record(String signal) {
      if (inFlight.getAndIncrement() != 0) {
        overlapped = true;
      }
      signals.add(signal);
      for (int i = 0; i < 2000; i++) {
        Thread.onSpinWait(); // widens the window in which another signal would overlap
      }
      inFlight.decrementAndGet();
    }

    @Override
    protected void hookOnNext(Frame frame) {
      record("next");
    }

    @Override
    protected void hookOnError(Throwable t) {
      record("error");
    }

    @Override
    protected void hookOnComplete() {
      record("complete");
    }
  }
}

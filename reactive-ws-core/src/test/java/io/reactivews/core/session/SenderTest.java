package io.reactivews.core.session;

import io.reactivews.core.internal.PreparedMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.util.RaceTestUtils;

/** A send() source's pacing and its end, against a stand-in for the outbound queue. */
class SenderTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final WebSocketException CLOSED =
      new WebSocketException(CloseStatus.GOING_AWAY, "closing");

  /** Records what it is given and writes nothing: the test plays the drain loop. */
  private static final class RecordingOutlet implements Sender.Outlet {
    final List<Object> given = new CopyOnWriteArrayList<>();
    final List<Sender<?>> removed = new CopyOnWriteArrayList<>();
    volatile boolean accepts = true;
    volatile boolean dropped;

    @Override
    public boolean accepts() {
      return accepts;
    }

    @Override
    public void write(Message message, Sender<?> from) {
      given.add(message);
    }

    @Override
    public void write(PreparedMessage message, Sender<?> from) {
      given.add(message);
    }

    @Override
    public boolean droppedUnwritten() {
      return dropped;
    }

    @Override
    public Throwable closedError() {
      return CLOSED;
    }

    @Override
    public void remove(Sender<?> sender) {
      removed.add(sender);
    }
  }

  private final RecordingOutlet outlet = new RecordingOutlet();

  private static Flux<Message> messages(int count, List<Long> requests) {
    return Flux.range(0, count).map(i -> Message.text("m" + i)).doOnRequest(requests::add);
  }

  @Test
  void asksForPrefetchThenForThreeQuartersOfItEachTimeThatManyWereWritten() {
    List<Long> requests = new CopyOnWriteArrayList<>();
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    messages(100, requests).subscribe(sender);
    assertEquals(List.of(8L), requests);
    assertEquals(8, outlet.given.size(), "never more than prefetch unwritten");

    for (int i = 0; i < 5; i++) {
      sender.written();
    }
    assertEquals(List.of(8L), requests, "not yet a batch");
    sender.written();
    assertEquals(List.of(8L, 6L), requests);
    assertEquals(14, outlet.given.size());
    sender.dispose();
  }

  @Test
  void preparedMessagesAreAskedForOneAtATime() {
    List<Long> requests = new CopyOnWriteArrayList<>();
    PreparedMessage prepared =
        PreparedMessage.of(Message.text("score"), PooledByteBufAllocator.DEFAULT);
    Sender<PreparedMessage> sender = Sender.ofPrepared(outlet);
    Flux.range(0, 3).map(i -> prepared.retain()).doOnRequest(requests::add).subscribe(sender);
    assertEquals(List.of(1L), requests);
    sender.written();
    sender.written();
    assertEquals(List.of(1L, 1L, 1L), requests);
    assertEquals(3, outlet.given.size());
    assertEquals(4, prepared.refCnt(), "each one given holds its reference");
    prepared.release(4);
  }

  @Test
  void completesOnlyOnceTheSourceEndedAndEverythingWasWritten() {
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    messages(2, new CopyOnWriteArrayList<>()).subscribe(sender);
    StepVerifier.create(sender.done())
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(20))
        .then(sender::written)
        .expectNoEvent(Duration.ofMillis(20))
        .then(sender::written)
        .expectComplete()
        .verify(WAIT);
    assertEquals(List.of(sender), outlet.removed);
  }

  @Test
  void failsWhenItsUnwrittenMessagesWereDropped() {
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    messages(1, new CopyOnWriteArrayList<>()).subscribe(sender);
    outlet.dropped = true;
    sender.written();
    StepVerifier.create(sender.done()).expectErrorMatches(e -> e == CLOSED).verify(WAIT);
  }

  @Test
  void stoppedBeforeTheSourceEndedItCancelsTheSourceAndFails() {
    TestPublisher<Message> source = TestPublisher.create();
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    source.flux().subscribe(sender);
    sender.stop();
    source.assertCancelled();
    StepVerifier.create(sender.done()).expectErrorMatches(e -> e == CLOSED).verify(WAIT);
    assertEquals(List.of(sender), outlet.removed);
  }

  @Test
  void aSourceThatFailsEndsTheSendWithItsError() {
    IllegalStateException boom = new IllegalStateException("boom");
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    Flux.<Message>error(boom).subscribe(sender);
    StepVerifier.create(sender.done()).expectErrorMatches(e -> e == boom).verify(WAIT);
    assertEquals(List.of(sender), outlet.removed);
  }

  @Test
  void messagesArrivingAfterTheCloseAreDroppedAndPreparedOnesReleased() {
    outlet.accepts = false;
    PreparedMessage prepared =
        PreparedMessage.of(Message.text("late"), PooledByteBufAllocator.DEFAULT);
    Sender<PreparedMessage> sender = Sender.ofPrepared(outlet);
    Mono.fromSupplier(prepared::retain).subscribe(sender);
    assertTrue(outlet.given.isEmpty());
    assertEquals(1, prepared.refCnt(), "the late message's reference was released");
    prepared.release();
  }

  @Test
  void cancellingTheSendCancelsTheSource() {
    TestPublisher<Message> source = TestPublisher.create();
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    source.flux().subscribe(sender);
    sender.done().subscribe().dispose();
    source.assertCancelled();
    // Or the queue would keep every cancelled send() until the session closes.
    assertEquals(List.of(sender), outlet.removed, "the queue forgets it");
  }

  @Test
  void theLastWriteRacingTheSourcesEndCompletesTheSendExactlyOnce() {
    for (int round = 0; round < 2_000; round++) {
      TestPublisher<Message> source = TestPublisher.create();
      Sender<Message> sender = Sender.ofMessages(outlet, 8);
      source.flux().subscribe(sender);
      source.next(Message.text("last"));
      AtomicInteger completions = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      sender.done().subscribe(null, e -> errors.incrementAndGet(), completions::incrementAndGet);

      RaceTestUtils.race(sender::written, source::complete);
      assertEquals(1, completions.get(), "round " + round);
      assertEquals(0, errors.get());
    }
  }

  @Test
  void theCloseRacingTheSourcesEndEndsTheSendExactlyOnce() {
    for (int round = 0; round < 2_000; round++) {
      TestPublisher<Message> source = TestPublisher.create();
      Sender<Message> sender = Sender.ofMessages(outlet, 8);
      source.flux().subscribe(sender);
      AtomicInteger ends = new AtomicInteger();
      sender.done().subscribe(null, e -> ends.incrementAndGet(), ends::incrementAndGet);

      // Nothing was unwritten: either end is right, as long as there is exactly one.
      RaceTestUtils.race(sender::stop, source::complete);
      assertEquals(1, ends.get(), "round " + round);
    }
  }

  @Test
  void aSendSubscribedAfterItEndedStillHearsHowItEnded() {
    Sender<Message> sender = Sender.ofMessages(outlet, 8);
    Flux.<Message>empty().subscribe(sender);
    StepVerifier.create(sender.done()).expectComplete().verify(WAIT);
    StepVerifier.create(sender.done()).expectComplete().verify(WAIT);
    assertFalse(outlet.removed.isEmpty());
    assertSame(sender, outlet.removed.get(0));
  }
}

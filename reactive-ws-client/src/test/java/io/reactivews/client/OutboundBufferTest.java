package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.message.Message;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The outbound queue of a reconnecting connection, without sockets. */
class OutboundBufferTest {

  private static Message m(int i) {
    return Message.text("m" + i);
  }

  @Test
  void messagesWaitUntilADrainerAsksForThem() {
    OutboundBuffer buffer = new OutboundBuffer(10);
    buffer.tryEmit(m(1));
    buffer.tryEmit(m(2));
    StepVerifier.create(buffer.drainer(), 0)
        .expectSubscription()
        .expectNoEvent(java.time.Duration.ofMillis(10))
        .thenRequest(1)
        .expectNext(m(1))
        .then(() -> assertEquals(1, buffer.size()))
        .thenRequest(5)
        .expectNext(m(2))
        .then(() -> buffer.tryEmit(m(3)))
        .expectNext(m(3))
        .thenCancel()
        .verify();
  }

  @Test
  void theLimitCountsWaitingMessagesAndOverflowIsReported() {
    OutboundBuffer buffer = new OutboundBuffer(2);
    assertEquals(Sinks.EmitResult.OK, buffer.tryEmit(m(1)));
    assertEquals(Sinks.EmitResult.OK, buffer.tryEmit(m(2)));
    assertEquals(Sinks.EmitResult.FAIL_OVERFLOW, buffer.tryEmit(m(3)));
    StepVerifier.create(buffer.drainer(), 1).expectNext(m(1)).thenCancel().verify();
    assertEquals(Sinks.EmitResult.OK, buffer.tryEmit(m(4)), "taking one frees a slot");
  }

  @Test
  void aNewDrainerTakesOverInOrderFromWhereTheLastStopped() {
    OutboundBuffer buffer = new OutboundBuffer(10);
    for (int i = 1; i <= 4; i++) {
      buffer.tryEmit(m(i));
    }
    StepVerifier.create(buffer.drainer(), 2).expectNext(m(1), m(2)).thenCancel().verify();
    StepVerifier.create(buffer.drainer(), 10).expectNext(m(3), m(4)).thenCancel().verify();
  }

  @Test
  void closingLetsTheDrainerFinishTheQueueThenComplete() {
    OutboundBuffer buffer = new OutboundBuffer(10);
    buffer.tryEmit(m(1));
    buffer.close();
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, buffer.tryEmit(m(2)));
    StepVerifier.create(buffer.drainer()).expectNext(m(1)).verifyComplete();
  }

  @Test
  void terminatingDropsTheQueue() {
    OutboundBuffer buffer = new OutboundBuffer(10);
    buffer.tryEmit(m(1));
    buffer.terminate();
    assertEquals(0, buffer.size());
    StepVerifier.create(buffer.drainer()).verifyComplete();
  }
}

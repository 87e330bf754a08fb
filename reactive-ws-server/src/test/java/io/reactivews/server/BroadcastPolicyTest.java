package io.reactivews.server;

import static io.reactivews.server.Stage.FRAME;
import static io.reactivews.server.Stage.WINDOW_FRAMES;
import static io.reactivews.server.Stage.assertAccounted;
import static io.reactivews.server.Viewer.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.server.Stage.Seat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Each overflow policy against one viewer that stops reading, next to viewers that keep up, over
 * in-memory connections whose window holds ten 100-byte frames (see {@link Stage}).
 */
class BroadcastPolicyTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Stage stage = new Stage();

  @AfterEach
  void releaseEverything() {
    stage.close();
  }

  private Seat seat(OverflowPolicy policy, boolean reading) {
    return stage.seat(policy, reading);
  }

  private List<Seat> fastSeats(OverflowPolicy policy) {
    return stage.seats(3, policy, true);
  }

  private void publish(int from, int to) {
    stage.publish(from, to);
  }

  private static void assertEverythingInOrder(List<Seat> fast, int last) {
    for (Seat seat : fast) {
      assertEquals(range(1, last), seat.viewer().awaitReceived(last).received());
      assertEquals(0, seat.stats().dropped());
      assertEquals(last, seat.stats().delivered());
    }
  }

  @Test
  void dropOldestKeepsTheNewestMessages() {
    Seat slow = seat(OverflowPolicy.dropOldest(8), false);
    List<Seat> fast = fastSeats(OverflowPolicy.dropOldest(8));
    publish(1, 100);

    BroadcastSubscription.Stats held = slow.stats();
    assertEquals(8, held.queuedMessages());
    assertEquals(8 * FRAME, held.queuedBytes());
    assertTrue(held.dropped() > 0, "the slow viewer must have overflowed: " + held);
    assertAccounted(held);
    int passed = (int) held.delivered();
    assertEquals(WINDOW_FRAMES + 1, passed, "ten frames fill the window, the session holds one");
    assertEverythingInOrder(fast, 100);
    // What stays alive is exactly what the limits allow the slow viewer, shared with nobody.
    assertEquals((passed + 8) * FRAME, stage.alloc.liveBytes());
    assertEquals(100, stage.alloc.allocations(), "one encode per message for 4 sessions");

    slow.viewer().resume();
    List<Integer> got = slow.viewer().awaitReceived(passed + 8).received();
    assertEquals(range(1, passed), got.subList(0, passed));
    assertEquals(range(93, 100), got.subList(passed, passed + 8), "the newest 8");
    assertEquals(100 - passed - 8, slow.stats().dropped());
    assertEquals(8, slow.stats().peakQueuedMessages());
    assertAccounted(slow.stats());
  }

  @Test
  void dropNewestKeepsTheFirstMessages() {
    Seat slow = seat(OverflowPolicy.dropNewest(8), false);
    List<Seat> fast = fastSeats(OverflowPolicy.dropNewest(8));
    publish(1, 100);

    BroadcastSubscription.Stats held = slow.stats();
    assertEquals(8, held.queuedMessages());
    assertTrue(held.dropped() > 0, held.toString());
    assertAccounted(held);
    int kept = (int) held.delivered() + 8;
    slow.viewer().resume();
    assertEquals(range(1, kept), slow.viewer().awaitReceived(kept).received());
    assertEquals(100 - kept, slow.stats().dropped());
    assertEverythingInOrder(fast, 100);
  }

  @Test
  void latestDeliversTheLastStateAndNoBacklog() {
    Seat slow = seat(OverflowPolicy.latest(), false);
    List<Seat> fast = fastSeats(OverflowPolicy.latest());
    publish(1, 100);

    BroadcastSubscription.Stats held = slow.stats();
    assertEquals(1, held.queuedMessages());
    assertEquals(1, held.peakQueuedMessages());
    int passed = (int) held.delivered();
    slow.viewer().resume();
    List<Integer> got = slow.viewer().awaitReceived(passed + 1).received();
    assertEquals(range(1, passed), got.subList(0, passed));
    assertEquals(100, got.get(passed), "the newest state");
    assertEquals(100 - passed - 1, slow.stats().dropped());
    assertAccounted(slow.stats());

    publish(101, 101); // caught up: the next state goes straight through
    assertEquals(101, slow.viewer().awaitReceived(passed + 2).received().get(passed + 1));
    assertEverythingInOrder(fast, 101);
  }

  @ParameterizedTest
  @ValueSource(ints = {1008, 1013})
  void disconnectClosesTheLaggardWithTheChosenCode(int code) {
    OverflowPolicy policy = OverflowPolicy.disconnect(8, CloseStatus.of(code));
    Seat slow = seat(policy, false);
    List<Seat> fast = fastSeats(policy);
    publish(1, 100);

    BroadcastSubscription.Stats held = slow.stats();
    assertTrue(held.disconnected());
    assertEquals(9, held.dropped(), "the 8 queued and the one that did not fit");
    assertEquals(held.delivered() + 9, held.offered(), "nothing offered after the disconnect");
    assertAccounted(held);
    StepVerifier.create(slow.subscription().onEnd()).expectComplete().verify(WAIT);
    assertEquals(1, stage.broadcast.stats().disconnected());
    assertEquals(3, stage.broadcast.stats().subscribers());

    slow.viewer().resume(); // the laggard reads what the connection held, then the close frame
    int passed = (int) held.delivered();
    assertEquals(range(1, passed), slow.viewer().awaitReceived(passed).received());
    CloseStatus status = slow.viewer().session.closeStatus().block(WAIT);
    assertEquals(code, status.code());
    assertEquals("slow consumer", status.reason());
    assertEverythingInOrder(fast, 100);
  }

  @Test
  void byteBoundHoldsWhenItIsReachedFirst() {
    OverflowPolicy policy = OverflowPolicy.dropOldest(1000).maxBytes(10 * FRAME);
    Seat slow = seat(policy, false);
    List<Seat> fast = fastSeats(policy);
    publish(1, 100);

    BroadcastSubscription.Stats held = slow.stats();
    assertEquals(10, held.peakQueuedMessages());
    assertEquals(10 * FRAME, held.peakQueuedBytes());
    int passed = (int) held.delivered();
    slow.viewer().resume();
    List<Integer> got = slow.viewer().awaitReceived(passed + 10).received();
    assertEquals(range(91, 100), got.subList(passed, passed + 10));
    assertEverythingInOrder(fast, 100);
  }

  @Test
  void aMessageLargerThanTheByteBoundStillReachesAViewerThatKeepsUp() {
    Seat seat = seat(OverflowPolicy.dropOldest(4).maxBytes(10), true);
    publish(1, 3);

    assertEquals(range(1, 3), seat.viewer().awaitReceived(3).received());
    assertEquals(0, seat.stats().dropped());
  }

  @Test
  void disconnectJudgesAViewerWhoseConnectionTakesNothingAfterTheGraceAndNotBefore() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    OverflowPolicy policy = OverflowPolicy.disconnect(CloseStatus.of(1008))
        .grace(Duration.ofSeconds(1)).scheduler(clock);
    Seat slow = seat(policy, false);
    List<Seat> fast = fastSeats(policy);
    publish(1, 100); // far more than the window: ninety wait, and none is a verdict

    clock.advanceTimeBy(Duration.ofMillis(999));
    assertFalse(slow.stats().disconnected(), "within its grace: " + slow.stats());
    clock.advanceTimeBy(Duration.ofMillis(1));
    assertTrue(slow.stats().disconnected(), "a grace without taking anything: too slow");
    assertAccounted(slow.stats());
    slow.viewer().resume();
    CloseStatus status = slow.viewer().session.closeStatus().block(WAIT);
    assertEquals(1008, status.code());
    assertEquals("slow consumer", status.reason());
    assertEverythingInOrder(fast, 100);
    clock.dispose();
  }

  @Test
  void aBurstIsNotSlownessWhenTheViewerTakesItWithinTheGrace() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    OverflowPolicy policy = OverflowPolicy.disconnect(CloseStatus.of(1008))
        .grace(Duration.ofSeconds(1)).scheduler(clock);
    Seat seat = seat(policy, false);
    publish(1, 300); // a burst its event loop has not had a turn to write yet
    clock.advanceTimeBy(Duration.ofMillis(900));
    seat.viewer().resume();
    assertEquals(range(1, 300), seat.viewer().awaitReceived(300).received());
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertFalse(seat.stats().disconnected(), seat.stats().toString());
    assertEquals(300, seat.stats().delivered());
    clock.dispose();
  }

  @Test
  void theByteBoundIsAVerdictAtOnceSoMemoryStaysBoundedWithinTheGrace() {
    OverflowPolicy policy = OverflowPolicy.disconnect(CloseStatus.of(1013))
        .maxBytes(20 * FRAME);
    Seat slow = seat(policy, false);
    publish(1, 100);
    BroadcastSubscription.Stats held = slow.stats();
    assertTrue(held.disconnected(), held.toString());
    assertTrue(held.peakQueuedBytes() <= 20 * FRAME, held.toString());
    assertAccounted(held);
  }

  @Test
  void anyPolicyWithAGraceClosesAViewerThatStoppedReading() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    Seat slow = seat(OverflowPolicy.latest().grace(Duration.ofSeconds(30)).scheduler(clock),
        false);
    publish(1, 100);
    clock.advanceTimeBy(Duration.ofSeconds(29));
    assertFalse(slow.stats().disconnected());
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertTrue(slow.stats().disconnected());
    slow.viewer().resume();
    assertEquals(1008, slow.viewer().session.closeStatus().block(WAIT).code());
    clock.dispose();
  }
}

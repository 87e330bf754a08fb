package io.reactivews.server;

import static io.reactivews.server.Stage.FRAME;
import static io.reactivews.server.Stage.WINDOW_FRAMES;
import static io.reactivews.server.Stage.assertAccounted;
import static io.reactivews.server.Viewer.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.reactivews.core.Role;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.session.ReadyState;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.server.Stage.Seat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A broadcast's frames from encoding to release: one encode per message, shared by server
 * sessions and copied by clients; sessions joining, leaving, closing and failing mid-broadcast;
 * the source ending. Every test ends by checking that each encoded frame was released.
 */
class BroadcastLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  /** Long enough that only a publisher that never finishes fails. */
  private static final Duration STUCK = Duration.ofSeconds(60);

  private final Stage stage = new Stage();

  @AfterEach
  void releaseEverything() {
    stage.close();
  }

  @Test
  void eachMessageIsEncodedOnceAndEveryServerSessionWritesThatFrame() {
    List<List<String>> texts = new ArrayList<>();
    AtomicBoolean allShared = new AtomicBoolean(true);
    for (int i = 0; i < 5; i++) {
      InMemoryTransport.Pair pair = stage.pair();
      DrivenSession server = Sessions.open(
          pair.server(), Role.SERVER, Viewer.OPTIONS, HandshakeInfo.root());
      stage.broadcast.subscribe(server, OverflowPolicy.dropOldest(100));
      List<String> got = new CopyOnWriteArrayList<>();
      texts.add(got);
      pair.client().receive()
          .doOnNext(bytes -> allShared.compareAndSet(true, stage.alloc.allocated(bytes)))
          .transform(FrameDecoder.forRole(Role.CLIENT))
          .subscribe(frame -> got.add(text(frame)), e -> { });
    }
    stage.publish(1, 20);

    for (List<String> got : texts) {
      Viewer.await(() -> got.size() == 20, () -> got.size() + " of 20");
      assertEquals(range(1, 20), got.stream().map(Viewer::seq).toList());
    }
    assertTrue(allShared.get(), "every buffer read comes from the broadcast's one encoding");
    assertEquals(20, stage.alloc.allocations(), "20 messages, 5 sessions, 20 encodes");
    assertEquals(20, stage.broadcast.stats().encoded());
    assertEquals(100, stage.broadcast.stats().delivered());
  }

  private static String text(Frame frame) {
    return new String(frame.payloadArray(), StandardCharsets.UTF_8);
  }

  @Test
  void clientSessionsMaskTheirOwnCopies() {
    List<Viewer> peers = stage.maskingClients(3);
    stage.publish(1, 20);

    for (Viewer peer : peers) {
      assertEquals(range(1, 20), peer.awaitReceived(20).received());
      assertTrue(peer.session.isOpen());
    }
    assertEquals(20, stage.alloc.allocations(), "still prepared once; each client copies it");
    Viewer.await(() -> stage.alloc.liveBytes() == 0, () -> "the prepared frames are released");
  }

  @Test
  void aSessionJoiningLateGetsMessagesFromThenOn() {
    Seat early = stage.seat(OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 5);
    Seat late = stage.seat(OverflowPolicy.dropOldest(8), true);
    stage.publish(6, 10);

    assertEquals(range(1, 10), early.viewer().awaitReceived(10).received());
    assertEquals(range(6, 10), late.viewer().awaitReceived(5).received());
    assertEquals(5, late.stats().offered());
    assertEquals(2, stage.broadcast.stats().subscribers());
  }

  @Test
  void disposingASubscriptionStopsDeliveryAndKeepsTheSessionOpen() {
    Seat seat = stage.seatWithoutHandler(OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 3);
    seat.viewer().awaitReceived(3);
    seat.subscription().dispose();
    stage.publish(4, 6);

    assertTrue(seat.subscription().isDisposed());
    StepVerifier.create(seat.subscription().onEnd()).expectComplete().verify(WAIT);
    assertEquals(3, seat.stats().offered());
    assertEquals(0, stage.broadcast.stats().subscribers());
    assertTrue(seat.server().isOpen());
    assertEquals(range(1, 3), seat.viewer().received());
  }

  @Test
  void aSessionClosedMidBroadcastReleasesItsQueueAndLeaves() {
    Seat slow = stage.seat(OverflowPolicy.dropOldest(8), false);
    Seat fast = stage.seat(OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 50);
    assertEquals(8, slow.stats().queuedMessages());

    slow.server().close(CloseStatus.GOING_AWAY).subscribe();
    StepVerifier.create(slow.subscription().onEnd()).expectComplete().verify(WAIT);
    assertEquals(8, slow.stats().unsent());
    assertEquals(0, slow.stats().queuedMessages());
    assertAccounted(slow.stats());
    stage.publish(51, 60);

    assertEquals(50, slow.stats().offered());
    assertEquals(range(1, 60), fast.viewer().awaitReceived(60).received());
    assertEquals(1, stage.broadcast.stats().subscribers());
    // Left: the window's frames and the one the closing session still means to write.
    assertEquals((WINDOW_FRAMES + 1) * FRAME, stage.alloc.liveBytes());
  }

  @Test
  void aConnectionLostMidBroadcastReleasesEverythingItHeld() {
    Seat slow = stage.seat(OverflowPolicy.dropOldest(8), false);
    Seat fast = stage.seat(OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 50);
    fast.viewer().awaitReceived(50);
    assertEquals((WINDOW_FRAMES + 1 + 8) * FRAME, stage.alloc.liveBytes());

    slow.pair().server().close(); // the transport cancels the session's writes
    StepVerifier.create(slow.subscription().onEnd()).expectComplete().verify(WAIT);
    assertEquals(1006, slow.server().closeStatus().block(WAIT).code());
    assertEquals(8, slow.stats().unsent());
    // The queue, the session's message and the unread window, all released.
    Viewer.await(() -> stage.alloc.liveBytes() == 0, () -> stage.alloc.liveBytes() + " bytes");
  }

  @Test
  void theSourceEndingDeliversEachBacklogThenClosesNormally() {
    Seat slow = stage.seat(OverflowPolicy.dropOldest(8), false);
    Seat fast = stage.seat(OverflowPolicy.dropOldest(8), true);
    stage.publish(1, 30);
    stage.source.tryEmitComplete();

    assertEquals(range(1, 30), fast.viewer().awaitReceived(30).received());
    assertEquals(1000, fast.viewer().session.closeStatus().block(WAIT).code());
    assertFalse(slow.subscription().isDisposed(), "its backlog is still to be written");

    slow.viewer().resume();
    int passed = WINDOW_FRAMES + 1;
    List<Integer> got = slow.viewer().awaitReceived(passed + 8).received();
    assertEquals(range(23, 30), got.subList(passed, passed + 8));
    StepVerifier.create(slow.subscription().onEnd()).expectComplete().verify(WAIT);
    assertEquals(1000, slow.viewer().session.closeStatus().block(WAIT).code());
  }

  @Test
  void aFailingSourceClosesItsSessionsWith1011() {
    Seat seat = stage.seat(OverflowPolicy.latest(), true);
    stage.publish(1, 3);
    stage.source.tryEmitError(new IllegalStateException("scoreboard crashed"));

    assertEquals(range(1, 3), seat.viewer().awaitReceived(3).received());
    StepVerifier.create(seat.subscription().onEnd())
        .expectErrorMessage("scoreboard crashed")
        .verify(WAIT);
    CloseStatus status = seat.viewer().session.closeStatus().block(WAIT);
    assertEquals(1011, status.code());
    assertEquals("scoreboard crashed", status.reason());
  }

  @Test
  void aClosedSessionSubscribingEndsAtOnceAndNothingIsEncodedForIt() {
    InMemoryTransport.Pair pair = stage.pair();
    DrivenSession server = Sessions.open(
        pair.server(), Role.SERVER, Viewer.OPTIONS, HandshakeInfo.root());
    pair.client().close();
    assertEquals(ReadyState.CLOSED, server.state());

    BroadcastSubscription subscription =
        stage.broadcast.subscribe(server, OverflowPolicy.latest());
    StepVerifier.create(subscription.onEnd()).expectComplete().verify(WAIT);
    stage.publish(1, 3);
    assertEquals(0, subscription.stats().offered());
    assertEquals(0, stage.alloc.allocations(), "nobody to send to: nothing encoded");
    assertEquals(3, stage.broadcast.stats().published());
  }

  @Test
  void aMessageWithNoMemoryForItsFrameIsSkippedAndCountedAndTheBroadcastGoesOn() {
    List<Seat> seats = stage.seats(3, OverflowPolicy.dropOldest(100), true);
    stage.publish(1, 4);
    stage.alloc.refuse(1);
    stage.publish(5, 5); // the emitter is not thrown at: the sink reports OK
    stage.publish(6, 9);

    List<Integer> expected = new ArrayList<>(range(1, 4));
    expected.addAll(range(6, 9));
    for (Seat seat : seats) {
      seat.viewer().awaitReceived(8);
      assertEquals(expected, seat.viewer().received());
      assertTrue(seat.server().isOpen(), "a broadcast's failure is not the session's");
      assertAccounted(seat.stats());
      assertEquals(8, seat.stats().offered());
    }
    Broadcast.Stats totals = stage.broadcast.stats();
    assertEquals(9, totals.published());
    assertEquals(8, totals.encoded());
    assertEquals(1, totals.unencoded());
    assertEquals(24, totals.delivered());
    assertFalse(stage.broadcast.isDisposed());
  }

  @Test
  void subscribingAfterTheSourceEndedEndsAtOnce() {
    stage.source.tryEmitComplete();
    Seat seat = stage.seatWithoutHandler(OverflowPolicy.latest(), true);

    StepVerifier.create(seat.subscription().onEnd()).expectComplete().verify(WAIT);
    assertTrue(seat.server().isOpen());
  }

  @Test
  void disposingTheBroadcastStopsTheSourceAndReleasesEveryQueue() {
    List<Seat> slow = stage.seats(2, OverflowPolicy.dropNewest(8), false);
    stage.publish(1, 50);
    stage.broadcast.dispose();

    assertEquals(Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER,
        stage.source.tryEmitNext(Viewer.message(51)));
    for (Seat seat : slow) {
      assertTrue(seat.subscription().isDisposed());
      assertEquals(8, seat.stats().unsent());
      assertAccounted(seat.stats());
    }
    assertEquals(0, stage.broadcast.stats().subscribers());
    // Both connections were given the same first frames: one copy of each stays alive.
    assertEquals((WINDOW_FRAMES + 1) * FRAME, stage.alloc.liveBytes());
  }

  @Test
  void sessionsComingAndGoingWhileMessagesFlowLoseNothingSilently() throws Exception {
    Thread publisher = new Thread(() -> stage.publish(1, 2000), "publisher");
    publisher.start();
    List<Seat> seats = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Seat seat = stage.seat(OverflowPolicy.dropOldest(4), i % 2 == 0);
      seats.add(seat);
      if (i % 3 == 0) {
        seats.get(i / 2).pair().client().close();
      }
    }
    // The publisher is checked for being stuck, not for speed: on a loaded two-core machine with
    // the leak detector at PARANOID its 2,000 messages have taken longer than WAIT.
    publisher.join(STUCK.toMillis());
    assertFalse(publisher.isAlive(), "the publisher is stuck");
    for (Seat seat : seats) {
      seat.pair().client().close();
    }

    for (Seat seat : seats) {
      Viewer.await(seat.subscription()::isDisposed, () -> seat + " still subscribed");
      assertAccounted(seat.stats());
      assertEquals(0, seat.stats().queuedMessages());
    }
    Broadcast.Stats total = stage.broadcast.stats();
    assertEquals(2000, total.published());
    assertEquals(0, total.subscribers());
    Viewer.await(() -> stage.alloc.liveBytes() == 0, () -> stage.alloc.liveBytes() + " bytes");
  }
}

package io.reactivews.server;

import static io.reactivews.server.Stage.assertAccounted;
import static io.reactivews.server.Viewer.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.reactivews.core.internal.Sessions;
import io.reactivews.server.Stage.Seat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

/**
 * A broadcast whose sessions run on event loops, as sockets' do: the source's thread only queues
 * each message per loop, and each loop fans its bursts out to its own sessions. Order per viewer,
 * the policies, joining, leaving and the source's end must hold as they do on the publishing
 * thread, and every frame must be released.
 */
class BroadcastLoopFanOutTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Stage stage = new Stage(new DefaultEventLoopGroup(3));

  @AfterEach
  void releaseEverything() {
    stage.close();
  }

  @Test
  void burstsFromAnotherThreadReachEachViewerCompleteAndInOrder() throws Exception {
    List<Seat> seats = stage.seats(12, OverflowPolicy.dropOldest(10_000), true);
    Thread publisher = new Thread(() -> {
      for (int burst = 0; burst < 20; burst++) {
        stage.publish(burst * 50 + 1, burst * 50 + 50);
        Thread.onSpinWait();
      }
    }, "publisher");
    publisher.start();
    publisher.join(WAIT.toMillis());
    assertFalse(publisher.isAlive());

    for (Seat seat : seats) {
      assertEquals(range(1, 1000), seat.viewer().awaitReceived(1000).received());
      assertEquals(1000, seat.stats().delivered());
      assertEquals(0, seat.stats().dropped());
    }
    assertEquals(1000, stage.broadcast.stats().encoded(), "still one encode per message");
  }

  @Test
  void aStalledViewerGetsItsPolicyWhileTheOthersGetEverything() {
    Seat stalled = stage.seat(OverflowPolicy.dropOldest(8), false);
    List<Seat> fast = stage.seats(6, OverflowPolicy.dropOldest(10_000), true);
    stage.publish(1, 300);

    for (Seat seat : fast) {
      assertEquals(range(1, 300), seat.viewer().awaitReceived(300).received());
    }
    Viewer.await(() -> stalled.stats().offered() == 300, () -> stalled.stats().toString());
    BroadcastSubscription.Stats held = stalled.stats();
    assertEquals(8, held.queuedMessages());
    assertTrue(held.dropped() > 0, "the stalled viewer overflowed: " + held);
    assertAccounted(held);

    stalled.viewer().resume();
    int passed = (int) held.delivered();
    List<Integer> got = stalled.viewer().awaitReceived(passed + 8).received();
    assertEquals(range(293, 300), got.subList(passed, passed + 8), "the newest 8");
  }

  @Test
  void aViewerJoiningWhileEarlierMessagesWaitForItsLoopGetsOnlyLaterOnes() {
    Seat early = stage.seat(OverflowPolicy.dropOldest(100), true);
    for (int round = 0; round < 20; round++) {
      int from = round * 10 + 1;
      stage.publish(from, from + 4);
      // The loops may not have fanned those five out yet: the newcomer must not get them.
      Seat late = stage.seat(OverflowPolicy.dropOldest(100), true);
      stage.publish(from + 5, from + 9);
      assertEquals(range(from + 5, from + 9), late.viewer().awaitReceived(5).received());
      assertEquals(5, late.stats().offered());
      late.subscription().dispose();
    }
    assertEquals(range(1, 200), early.viewer().awaitReceived(200).received());
  }

  @Test
  void subscribingAndDisposingWhilePublishingLoseNothingSilentlyAndLeakNothing() {
    List<Seat> seats = new ArrayList<>();
    seats.add(stage.seatWithoutHandler(OverflowPolicy.dropOldest(4), true));
    int[] next = {1};
    for (int i = 0; i < 100; i++) {
      Seat leaving = seats.get(seats.size() - 1);
      Seat[] joined = new Seat[1];
      RaceTestUtils.race(
          () -> {
            stage.publish(next[0], next[0] + 4);
            next[0] += 5;
          },
          () -> joined[0] = stage.seatWithoutHandler(OverflowPolicy.dropOldest(4), true),
          () -> leaving.subscription().dispose());
      seats.add(joined[0]);
    }
    for (Seat seat : seats) {
      seat.subscription().dispose();
      StepVerifier.create(seat.subscription().onEnd()).expectComplete().verify(WAIT);
      assertAccounted(seat.stats());
      assertEquals(0, seat.stats().queuedMessages());
      List<Integer> got = seat.viewer().received();
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i) > got.get(i - 1), "in order: " + got);
      }
    }
    Viewer.await(() -> stage.broadcast.stats().subscribers() == 0,
        () -> stage.broadcast.stats().toString());
  }

  @Test
  void theSourceEndingDeliversEachBacklogBeforeClosingNormally() {
    List<Seat> seats = stage.seats(9, OverflowPolicy.dropOldest(1000), true);
    stage.publish(1, 200);
    stage.source.tryEmitComplete();

    for (Seat seat : seats) {
      StepVerifier.create(seat.subscription().onEnd()).expectComplete().verify(WAIT);
      assertEquals(range(1, 200), seat.viewer().awaitReceived(200).received());
      assertEquals(1000, seat.viewer().session.closeStatus().block(WAIT).code());
    }
  }

  @Test
  void clientSessionsOnALoopMaskTheirOwnCopies() {
    List<Viewer> peers = stage.maskingClients(4);
    stage.publish(1, 50);

    for (Viewer peer : peers) {
      assertEquals(range(1, 50), peer.awaitReceived(50).received());
      assertTrue(peer.session.isOpen());
    }
  }

  @Test
  void aMessagePublishedOnAViewersOwnLoopGoesOutBeforeWhatThatTaskSendsNext() throws Exception {
    Seat seat = stage.seat(OverflowPolicy.dropOldest(100), true);
    Seat other = stage.seat(OverflowPolicy.dropOldest(100), true);
    EventExecutor loop = (EventExecutor) Sessions.executorOf(seat.server());
    loop.submit(() -> {
      stage.publish(1, 1);
      seat.server().tryEmit(Viewer.message(2)).orThrow();
    }).sync();

    assertEquals(List.of(1, 2), seat.viewer().awaitReceived(2).received());
    assertEquals(List.of(1), other.viewer().awaitReceived(1).received());
  }

  @Test
  void disposingTheBroadcastWithMessagesOnTheirWayReleasesThem() {
    stage.seats(5, OverflowPolicy.dropOldest(1000), false);
    stage.publish(1, 100);
    stage.broadcast.dispose();
    // Stage.close checks that every frame, queued on a loop or in a lane, was released.
  }
}

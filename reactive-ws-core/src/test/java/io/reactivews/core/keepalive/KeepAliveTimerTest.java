package io.reactivews.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.RaceTestUtils;

/**
 * The timer that the keepalives on one scheduler share ({@link KeepAliveTimer}), on virtual
 * time: each connection is served at its own times however many share the timer, connections
 * join and leave while it runs, and the scheduler holds one task for all of them.
 */
class KeepAliveTimerTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(4);
  private static final Duration NANO = Duration.ofNanos(1);

  private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
  private final TaskCountingScheduler timers = new TaskCountingScheduler(vts);
  private final VirtualClock time = new VirtualClock(vts);

  /** One watched connection: its peer, its downstream, and when it asked for pings. */
  private final class Connection {
    final TestPublisher<Frame> peer = TestPublisher.create();
    final TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(100).build();
    final List<Duration> pings = Collections.synchronizedList(new ArrayList<>());
    volatile Duration failedAt;

    Connection(KeepAlive spec) {
      peer.flux().transform(spec.on(timers).pinging(payload -> pings.add(time.elapsed())))
          .doOnError(e -> failedAt = time.elapsed())
          .subscribe(down);
    }

    /** When the keepalive failed the connection. */
    Duration timedOutAt() {
      assertInstanceOf(WebSocketException.class, down.expectTerminalError());
      return failedAt;
    }

    void answer() {
      peer.next(Frame.of(Opcode.PONG, new byte[0]));
    }
  }

  private Connection connect(Duration interval, Duration timeout) {
    return new Connection(KeepAlive.every(interval).timeout(timeout));
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void manyConnectionsOneScheduledTask() {
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      time.advanceTo(Duration.ofMillis(10L * i));
      connections.add(connect(INTERVAL, TIMEOUT));
    }
    assertEquals(100, KeepAliveTimer.waiting(timers));
    assertEquals(1, timers.pending(), "one task for all");

    time.advanceTo(seconds(12));
    assertEquals(1, timers.pending());
    for (int i = 0; i < 100; i++) {
      // Each is pinged an interval after its own start, to the nanosecond.
      assertEquals(List.of(INTERVAL.plusMillis(10L * i)), connections.get(i).pings);
    }
  }

  @Test
  void eachConnectionKeepsItsOwnIntervalAndTimeout() {
    Connection fast = connect(seconds(3), seconds(1));
    Connection slow = connect(seconds(7), seconds(5));
    Connection answering = connect(seconds(5), seconds(2));

    time.advanceTo(seconds(5));
    answering.answer(); // at 5 s: its pong; the next ping 5 s later

    time.advanceTo(seconds(30));
    assertEquals(List.of(seconds(3)), fast.pings);
    assertEquals(seconds(4), fast.timedOutAt());
    assertEquals(List.of(seconds(7)), slow.pings);
    assertEquals(seconds(12), slow.timedOutAt());
    assertEquals(List.of(seconds(5), seconds(10)), answering.pings);
    assertEquals(seconds(12), answering.timedOutAt());
    assertEquals(0, timers.pending(), "no task left once all have ended");
    assertEquals(0, KeepAliveTimer.waiting(timers));
  }

  @Test
  void timeoutsStrikeAtTheirOwnInstants() {
    // Failure times are checked one connection at a time: each fails exactly at ping + timeout.
    for (long timeout = 1; timeout <= 4; timeout++) {
      Connection c = connect(seconds(2), seconds(timeout));
      Duration joined = time.elapsed();
      vts.advanceTimeBy(seconds(2 + timeout).minus(NANO));
      assertFalse(c.down.isTerminated(), "not a nanosecond early");
      vts.advanceTimeBy(NANO);
      assertTrue(c.down.isTerminatedError(), "on the nanosecond");
      assertEquals(List.of(joined.plus(seconds(2))), c.pings);
    }
    assertEquals(0, timers.pending());
  }

  @Test
  void aConnectionJoiningWhileOthersWaitIsServedOnTime() {
    Connection early = connect(INTERVAL, TIMEOUT);
    time.advanceTo(seconds(7));
    Connection late = connect(INTERVAL, TIMEOUT);
    assertEquals(1, timers.pending());
    time.advanceTo(seconds(17).minus(NANO));
    assertEquals(List.of(seconds(10)), early.pings);
    assertEquals(List.of(), late.pings);
    time.advanceTo(seconds(17));
    assertEquals(List.of(seconds(17)), late.pings);
    // The early one timed out at 14 s meanwhile, on its own: the late one waits on alone.
    assertEquals(seconds(14), early.timedOutAt());
    assertEquals(1, KeepAliveTimer.waiting(timers));
    assertEquals(1, timers.pending());
  }

  @Test
  void aConnectionLeavingWhileOthersWaitDoesNotDisturbThem() {
    Connection stays = connect(INTERVAL, TIMEOUT);
    Connection leaves = connect(seconds(2), TIMEOUT);
    time.advanceTo(seconds(1));
    leaves.down.cancel();
    assertEquals(1, KeepAliveTimer.waiting(timers));
    time.advanceTo(seconds(11));
    assertEquals(List.of(), leaves.pings);
    assertEquals(List.of(INTERVAL), stays.pings);
    stays.down.cancel();
    assertEquals(0, timers.pending(), "the last to leave takes the task with it");
    assertEquals(0, KeepAliveTimer.waiting(timers));
  }

  @Test
  void connectionsJoinAndLeaveFromTheTimersOwnTurn() {
    // All on one timer: the same scheduler, interval and timeout.
    List<Connection> joined = new ArrayList<>();
    time.advanceTo(Duration.ofMillis(600));
    Connection bystander = connect(seconds(1), seconds(60)); // due at 1.6 s
    // A ping sender that, on the timer's turn at 1.6 s, starts a connection and ends another.
    TestPublisher<Frame> peer = TestPublisher.create();
    TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(100).build();
    Connection[] victim = new Connection[1];
    peer.flux().transform(KeepAlive.every(seconds(1)).timeout(seconds(60)).on(timers)
        .pinging(payload -> {
          joined.add(connect(seconds(1), seconds(60)));
          victim[0].down.cancel();
        })).subscribe(down);
    time.advanceTo(Duration.ofMillis(700));
    victim[0] = connect(seconds(1), seconds(60)); // due at 1.7 s, waiting when it is ended

    time.advanceTo(Duration.ofMillis(1600));
    assertEquals(1, joined.size());
    time.advanceTo(seconds(3));
    assertEquals(List.of(), victim[0].pings);
    assertEquals(List.of(Duration.ofMillis(2600)), joined.get(0).pings,
        "the newcomer a second after joining");
    assertEquals(List.of(Duration.ofMillis(1600)), bystander.pings);
    assertEquals(3, KeepAliveTimer.waiting(timers));
    assertEquals(1, timers.pending());
  }

  @Test
  void aTimerWithNoConnectionsLeftIsReplacedByAFreshOne() {
    Connection first = connect(INTERVAL, TIMEOUT);
    KeepAliveTimer.Settings settings =
        new KeepAliveTimer.Settings(timers, INTERVAL.toNanos(), TIMEOUT.toNanos(), false);
    KeepAliveTimer timer = KeepAliveTimer.on(settings);
    first.down.cancel();
    assertEquals(0, timers.pending());

    time.advanceTo(seconds(5));
    Connection second = connect(INTERVAL, TIMEOUT);
    assertNotSame(timer, KeepAliveTimer.on(settings));
    time.advanceTo(seconds(15));
    assertEquals(List.of(seconds(15)), second.pings);
    assertEquals(List.of(), first.pings);
    second.down.cancel();
  }

  @Test
  void connectionsWithOtherSettingsHaveATimerOfTheirOwn() {
    connect(INTERVAL, TIMEOUT);
    connect(INTERVAL, TIMEOUT);
    assertEquals(1, timers.pending());
    connect(INTERVAL, TIMEOUT.plus(NANO));
    assertEquals(2, timers.pending());
    connect(INTERVAL.plus(NANO), TIMEOUT);
    assertEquals(3, timers.pending());
    assertEquals(4, KeepAliveTimer.waiting(timers));
  }

  @Test
  void aSchedulerThatRefusesFailsEveryConnectionWaitingOnIt() {
    AtomicInteger accepted = new AtomicInteger(1);
    Scheduler refusing = new Scheduler() {
      @Override
      public Disposable schedule(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
      }

      @Override
      public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        if (accepted.getAndDecrement() <= 0) {
          throw new RejectedExecutionException("shut down");
        }
        return vts.schedule(task, delay, unit);
      }

      @Override
      public long now(TimeUnit unit) {
        return vts.now(unit);
      }

      @Override
      public Worker createWorker() {
        throw new UnsupportedOperationException();
      }
    };
    KeepAlive spec = KeepAlive.every(INTERVAL).timeout(TIMEOUT).on(refusing);
    TestSubscriber<Frame> waiting = TestSubscriber.create();
    TestPublisher.<Frame>create().flux().transform(spec.pinging(p -> { })).subscribe(waiting);
    vts.advanceTimeBy(seconds(1));
    TestSubscriber<Frame> second = TestSubscriber.create();
    TestPublisher.<Frame>create().flux().transform(spec.pinging(p -> { })).subscribe(second);
    assertFalse(second.isTerminated(), "no new task needed: the armed one comes first");
    // At 10 s the timer's turn asks for its next task (for the second, at 11 s): refused.
    vts.advanceTimeBy(seconds(9));

    assertInstanceOf(RejectedExecutionException.class, waiting.expectTerminalError());
    assertInstanceOf(RejectedExecutionException.class, second.expectTerminalError());
    assertEquals(0, KeepAliveTimer.waiting(refusing));
  }

  @Test
  void staggeredConnectionsOpenedTogetherArePingedApartAndStayApart() {
    KeepAlive spec = KeepAlive.every(INTERVAL).timeout(TIMEOUT).staggered().on(timers);
    int n = 1000;
    List<List<Duration>> pings = new ArrayList<>();
    List<TestSubscriber<Frame>> downs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Duration> own = new ArrayList<>();
      pings.add(own);
      TestPublisher<Frame> peer = TestPublisher.create();
      TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(100).build();
      downs.add(down);
      // The peer answers each ping at once.
      peer.flux().transform(spec.pinging(payload -> {
        own.add(time.elapsed());
        peer.next(Frame.of(Opcode.PONG, new byte[0]));
      })).subscribe(down);
    }
    assertEquals(1, timers.pending(), "still one task for all");

    time.advanceTo(seconds(5).minus(NANO));
    assertTrue(pings.stream().allMatch(List::isEmpty), "none before half the interval");

    time.advanceTo(INTERVAL);
    int[] quarters = new int[4];
    for (List<Duration> own : pings) {
      assertEquals(1, own.size(), "each pinged once by the end of the interval");
      long intoSecondHalf = own.get(0).minus(seconds(5)).toNanos();
      quarters[(int) Math.min(3, intoSecondHalf * 4 / seconds(5).toNanos())]++;
    }
    for (int quarter : quarters) {
      // About 250 each: spread over the second half, not gathered at one instant.
      assertTrue(quarter > n / 8, () -> "pings per eighth of the interval: "
          + Arrays.toString(quarters));
    }

    time.advanceTo(INTERVAL.multipliedBy(3));
    for (List<Duration> own : pings) {
      // Answered at once; the next pings come an interval apart, keeping the first one's offset.
      Duration first = own.get(0);
      assertEquals(List.of(first, first.plus(INTERVAL), first.plus(INTERVAL.multipliedBy(2))), own);
    }
    downs.forEach(TestSubscriber::cancel);
    assertEquals(0, KeepAliveTimer.waiting(timers));
  }

  @Test
  void aStaggeredConnectionThatFallsSilentFailsWithinIntervalPlusTimeout() {
    Connection silent = new Connection(
        KeepAlive.every(INTERVAL).timeout(TIMEOUT).staggered());

    time.advanceTo(INTERVAL.plus(TIMEOUT));

    Duration pinged = silent.pings.get(0);
    assertTrue(pinged.compareTo(seconds(5)) >= 0 && pinged.compareTo(INTERVAL) <= 0);
    assertEquals(pinged.plus(TIMEOUT), silent.timedOutAt());
  }

  @Test
  void joiningAndLeavingRacingTheTimersTurnLosesNoOne() {
    for (int round = 0; round < 500; round++) {
      VirtualTimeScheduler clock = VirtualTimeScheduler.create();
      AtomicInteger pings = new AtomicInteger();
      KeepAlive spec = KeepAlive.every(seconds(1)).timeout(seconds(60)).on(clock);
      TestSubscriber<Frame> due = TestSubscriber.builder().initialRequest(1).build();
      TestPublisher.<Frame>create().flux().transform(spec.pinging(p -> pings.incrementAndGet()))
          .subscribe(due);
      TestSubscriber<Frame> leaving = TestSubscriber.builder().initialRequest(1).build();
      TestPublisher.<Frame>create().flux().transform(spec.pinging(p -> pings.incrementAndGet()))
          .subscribe(leaving);
      TestSubscriber<Frame> joining = TestSubscriber.builder().initialRequest(1).build();
      clock.advanceTimeBy(seconds(1).minus(NANO));

      RaceTestUtils.race(
          () -> clock.advanceTimeBy(NANO),
          () -> {
            leaving.cancel();
            TestPublisher.<Frame>create().flux()
                .transform(spec.pinging(p -> pings.incrementAndGet())).subscribe(joining);
          });

      clock.advanceTimeBy(seconds(2));
      // "due" pinged at 1 s; "joining" a second after it joined, whichever ran first.
      assertEquals(2, KeepAliveTimer.waiting(clock), "due and joining wait on");
      assertTrue(pings.get() >= 2 && pings.get() <= 4, () -> "pings: " + pings.get());
      due.cancel();
      joining.cancel();
      assertEquals(0, KeepAliveTimer.waiting(clock));
    }
  }
}

package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.transport.InMemoryTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.test.util.RaceTestUtils;

/**
 * A lane's hand-over straight to a session that keeps up, racing the session's demand and its
 * cancel on another thread: messages arrive once each and in order, every offer is accounted
 * for, and every reference is given back.
 */
class LaneRaceTest {

  private final CountingAllocator alloc = new CountingAllocator(true);
  private final InMemoryTransport.Pair pair = InMemoryTransport.pair(1 << 16, 1 << 10);
  private final DrivenSession session =
      Sessions.open(pair.server(), Role.SERVER, Viewer.OPTIONS, HandshakeInfo.root());

  @AfterEach
  void close() {
    pair.client().close();
  }

  /**
   * Takes what the lane hands over, in order, and gives each reference back at once; notes a
   * message it did not ask for, and two handed over at the same time.
   */
  private static final class Taker implements Subscriber<PreparedMessage> {
    final List<Integer> received = new ArrayList<>();
    final AtomicLong asked = new AtomicLong();
    final AtomicInteger inside = new AtomicInteger();
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile Subscription subscription;

    void ask(long n) {
      asked.addAndGet(n);
      subscription.request(n);
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(PreparedMessage message) {
      if (inside.incrementAndGet() != 1) {
        violations.add("two at once: " + message.size());
      }
      synchronized (received) { // read by the test's thread afterwards
        received.add(message.size());
        if (received.size() > asked.get()) {
          violations.add("not asked for: " + message.size());
        }
      }
      message.release();
      inside.decrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      throw new AssertionError(t);
    }

    @Override
    public void onComplete() {
      violations.add("completed, though the source never ended");
    }

    List<Integer> received() {
      synchronized (received) {
        return new ArrayList<>(received);
      }
    }
  }

  /** A message whose size is its number, so the taker can tell them apart. */
  private PreparedMessage numbered(int n) {
    return PreparedMessage.of(Message.binary(new byte[n]), alloc);
  }

  private static void assertNoViolation(Taker taker) {
    List<String> seen = taker.violations;
    assertTrue(seen.isEmpty(), () -> seen.size() + " violations, the first: "
        + seen.subList(0, Math.min(5, seen.size())));
  }

  private Lane lane(OverflowPolicy policy, Broadcast.Totals totals) {
    return new Lane(session, policy, totals, finished -> { }, 0);
  }

  @Test
  void offersRacingDemandArriveOnceEachInOrderOrAreDroppedByThePolicy() {
    Broadcast.Totals totals = new Broadcast.Totals();
    Lane lane = lane(OverflowPolicy.dropOldest(2), totals);
    Taker taker = new Taker();
    lane.subscribe(taker);
    int rounds = 2000;
    for (int n = 1; n <= rounds; n++) {
      PreparedMessage message = numbered(n);
      RaceTestUtils.race(() -> lane.offer(message), () -> taker.ask(1));
      message.release();
    }
    taker.ask(rounds); // whatever still waits comes now
    assertNoViolation(taker);

    List<Integer> got = taker.received();
    for (int i = 1; i < got.size(); i++) {
      assertTrue(got.get(i) > got.get(i - 1), () -> "out of order or twice: " + got);
    }
    BroadcastSubscription.Stats stats = lane.stats();
    assertEquals(rounds, stats.offered());
    assertEquals(got.size(), stats.delivered());
    assertEquals(rounds, stats.delivered() + stats.dropped(), stats.toString());
    assertEquals(0, stats.queuedMessages());
    assertEquals(stats.delivered(), totals.delivered.sum());
    assertEquals(0, alloc.liveBytes(), "every reference given back");
  }

  @Test
  void offersRacingACancelAreDeliveredOrReleasedNeverBoth() {
    for (int round = 0; round < 500; round++) {
      Broadcast.Totals totals = new Broadcast.Totals();
      Lane lane = lane(OverflowPolicy.dropOldest(8), totals);
      Taker taker = new Taker();
      lane.subscribe(taker);
      taker.ask(3);
      PreparedMessage first = numbered(1);
      PreparedMessage second = numbered(2);
      RaceTestUtils.race(
          () -> {
            lane.offer(first);
            lane.offer(second);
          },
          () -> taker.subscription.cancel());
      first.release();
      second.release();

      assertTrue(lane.isFinished(), "a cancelled lane ends");
      assertNoViolation(taker);
      BroadcastSubscription.Stats stats = lane.stats();
      assertEquals(stats.offered(), stats.delivered() + stats.unsent(), stats.toString());
      assertEquals(stats.delivered(), taker.received().size());
      assertEquals(0, alloc.liveBytes(), "every reference given back");
    }
  }
}

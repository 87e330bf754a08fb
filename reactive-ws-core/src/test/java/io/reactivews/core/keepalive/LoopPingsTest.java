package io.reactivews.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.subscriber.TestSubscriber;

/**
 * Pings sent on the connection's event loop ({@link KeepAlive#pinging(java.util.function.Consumer,
 * Executor)}): the timer decides on its thread, the loop sends, in one task per batch.
 */
class LoopPingsTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
  private final KeepAlive spec = KeepAlive.every(INTERVAL).on(vts);

  /** An event loop that runs its tasks when the test says, and knows when it is running. */
  private static final class ManualLoop implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    boolean running;

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        running = true;
        try {
          task.run();
        } finally {
          running = false;
        }
      }
    }
  }

  /** One watched connection whose pings record whether they went on the loop, and their number. */
  private static final class Connection {
    final TestPublisher<Frame> peer = TestPublisher.create();
    final TestSubscriber<Frame> down = TestSubscriber.builder().initialRequest(100).build();
    final List<Long> pings = new ArrayList<>();
    final List<Boolean> onLoop = new ArrayList<>();

    Connection(KeepAlive spec, ManualLoop loop) {
      peer.flux().transform(spec.pinging(payload -> {
        pings.add(ByteBuffer.wrap(payload).getLong());
        onLoop.add(loop.running);
      }, loop)).subscribe(down);
    }
  }

  private final List<ManualLoop> loops = new ArrayList<>();

  @AfterEach
  void noBatchLeft() {
    vts.dispose();
    for (ManualLoop loop : loops) {
      assertTrue(loop.tasks.isEmpty());
      assertFalse(LoopPings.pendingOn(loop), "a drained batch forgets its loop");
    }
  }

  private ManualLoop loop() {
    ManualLoop loop = new ManualLoop();
    loops.add(loop);
    return loop;
  }

  @Test
  void connectionsDueTogetherOnOneLoopCostItOneTask() {
    ManualLoop loop = loop();
    ManualLoop other = loop();
    List<Connection> onFirst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      onFirst.add(new Connection(spec, loop));
    }
    Connection onSecond = new Connection(spec, other);

    vts.advanceTimeBy(INTERVAL);
    assertEquals(1, loop.tasks.size(), "one task for the 50 pings of this loop");
    assertEquals(1, other.tasks.size());
    assertTrue(onFirst.get(0).pings.isEmpty(), "decided, not yet sent: the loop sends");

    loop.runAll();
    other.runAll();
    for (Connection c : onFirst) {
      assertEquals(List.of(1L), c.pings);
      assertEquals(List.of(true), c.onLoop);
    }
    assertEquals(List.of(1L), onSecond.pings);
    assertEquals(List.of(true), onSecond.onLoop);

    // The next round: answered, then silent again; numbered on.
    onFirst.forEach(c -> c.peer.next(Frame.of(Opcode.PONG, new byte[0])));
    vts.advanceTimeBy(INTERVAL);
    loop.runAll();
    assertEquals(List.of(1L, 2L), onFirst.get(49).pings);
    onFirst.forEach(c -> c.down.cancel());
    onSecond.down.cancel();
    other.runAll();
  }

  @Test
  void aPingDecidedForAStreamThatEndsBeforeTheLoopRunsIsNotSent() {
    ManualLoop loop = loop();
    Connection cancelled = new Connection(spec, loop);
    Connection completed = new Connection(spec, loop);
    Connection live = new Connection(spec, loop);

    vts.advanceTimeBy(INTERVAL);
    cancelled.down.cancel();
    completed.peer.complete();
    loop.runAll();

    assertTrue(cancelled.pings.isEmpty());
    assertTrue(completed.pings.isEmpty());
    assertTrue(completed.down.isTerminatedComplete());
    assertEquals(List.of(1L), live.pings);
    live.down.cancel();
  }

  @Test
  void aSenderThatThrowsOnTheLoopFailsItsStreamOnly() {
    ManualLoop loop = loop();
    IllegalStateException boom = new IllegalStateException("cannot ping");
    TestPublisher<Frame> peer = TestPublisher.create();
    TestSubscriber<Frame> failing = TestSubscriber.create();
    peer.flux().transform(spec.<Frame>pinging(payload -> {
      throw boom;
    }, loop)).subscribe(failing);
    Connection fine = new Connection(spec, loop);

    vts.advanceTimeBy(INTERVAL);
    assertFalse(failing.isTerminated(), "the timer's thread sends nothing");
    loop.runAll();

    assertSame(boom, failing.expectTerminalError());
    peer.assertCancelled();
    assertEquals(List.of(1L), fine.pings);
    fine.down.cancel();
  }

  @Test
  void aLoopThatRefusesHasThePingsSentAtOnce() {
    Executor shutDown = task -> {
      throw new RejectedExecutionException("shut down");
    };
    TestPublisher<Frame> peer = TestPublisher.create();
    TestSubscriber<Frame> down = TestSubscriber.create();
    List<Long> pings = new ArrayList<>();
    peer.flux().transform(spec.<Frame>pinging(p -> pings.add(ByteBuffer.wrap(p).getLong()),
        shutDown)).subscribe(down);

    vts.advanceTimeBy(INTERVAL);

    assertEquals(List.of(1L), pings);
    assertFalse(down.isTerminated());
    down.cancel();
  }
}

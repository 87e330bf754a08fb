package io.reactivews.core.keepalive;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.util.concurrent.Queues;

/**
 * The pings due for the connections of one event loop, sent there in one task. The timer decides
 * who is due on its own thread; sending from there would cost each ping a hand-over to its
 * connection's loop, with a lock and a task of its own, and pull the connection's writer state
 * across cores. Queued here, a wave of pings (connections opened together fall due together)
 * costs the loop one task per batch, and each ping is written like any other frame of that turn.
 *
 * <p>A batch forgets its loop once drained, so loops that are shut down are not held; a ping
 * added meanwhile to a batch being forgotten is still sent, by that batch. Thread-safe.
 */
final class LoopPings implements Runnable {

  private static final ConcurrentHashMap<Executor, LoopPings> BY_LOOP =
      new ConcurrentHashMap<>();

  private final Executor loop;
  private final Queue<FluxKeepAlive.KeepAliveSubscriber<?>> due =
      Queues.<FluxKeepAlive.KeepAliveSubscriber<?>>unboundedMultiproducer().get();
  private final AtomicInteger wip = new AtomicInteger();

  private LoopPings(Executor loop) {
    this.loop = loop;
  }

  /** Has {@code member} send the ping it decided on, on {@code loop}. */
  static void send(Executor loop, FluxKeepAlive.KeepAliveSubscriber<?> member) {
    BY_LOOP.computeIfAbsent(loop, LoopPings::new).add(member);
  }

  private void add(FluxKeepAlive.KeepAliveSubscriber<?> member) {
    due.offer(member);
    if (wip.getAndIncrement() == 0) {
      try {
        loop.execute(this);
      } catch (RejectedExecutionException e) {
        run(); // the loop is gone: the pings fail, or find their connection closed, here
      }
    }
  }

  @Override
  public void run() {
    int missed = 1;
    for (; ; ) {
      FluxKeepAlive.KeepAliveSubscriber<?> member;
      while ((member = due.poll()) != null) {
        member.sendDecidedPing();
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        break;
      }
    }
    BY_LOOP.remove(loop, this);
  }

  /** Whether a batch for {@code loop} is on its way; for tests. */
  static boolean pendingOn(Executor loop) {
    return BY_LOOP.containsKey(loop);
  }
}

package io.reactivews.core.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * Work an event loop runs once the task at hand is done: the flushes of the writers that wrote
 * during it. One task per loop and turn, however many writers wrote, where a task per writer
 * would cost a queue node and a task run each (a broadcast burst writes to every connection on
 * the loop in one task).
 *
 * <p>Event-loop confined: one instance per loop thread.
 */
final class TurnEnd implements Runnable {

  private static final FastThreadLocal<TurnEnd> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected TurnEnd initialValue() {
      return new TurnEnd();
    }
  };

  private final ArrayList<Runnable> due = new ArrayList<>();
  /** The loop this thread's run is queued on; null when none is queued. */
  private EventLoop queuedOn;

  private TurnEnd() {}

  /**
   * Runs {@code work} at the end of this turn of {@code loop}; call on the loop only. False, doing
   * nothing, when this thread's run is queued on another loop (a thread that drives several,
   * as a test's embedded channels do, or one whose queued run was never run): the caller then
   * queues its own task.
   */
  static boolean schedule(EventLoop loop, Runnable work) {
    TurnEnd turn = OF_THREAD.get();
    if (turn.queuedOn == null) {
      turn.queuedOn = loop;
      turn.due.add(work);
      try {
        loop.execute(turn);
      } catch (RejectedExecutionException e) {
        turn.run(); // the loop is shutting down: flush what was written now
      }
      return true;
    }
    if (turn.queuedOn == loop) {
      turn.due.add(work);
      return true;
    }
    return false;
  }

  @Override
  public void run() {
    // Work scheduled while this runs joins this run: it is due at the same turn's end. One that
    // fails must not keep the others, or the next turns, from running.
    RuntimeException failure = null;
    for (int i = 0; i < due.size(); i++) {
      try {
        due.get(i).run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    due.clear();
    queuedOn = null;
    if (failure != null) {
      throw failure;
    }
  }
}

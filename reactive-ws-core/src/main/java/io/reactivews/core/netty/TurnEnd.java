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
 * <p>A task that writes to many connections in turn (a broadcast's fan-out) may end the turn
 * early for each of them ({@link #runNow}): each connection's bytes then leave as soon as its
 * share is written, instead of after the whole task, at the same one flush per connection. It
 * tells turns apart by {@link #turnsEnded}, to do that only where it costs no extra flush.
 *
 * <p>Event-loop confined: one instance per loop thread.
 */
public final class TurnEnd implements Runnable {

  private static final FastThreadLocal<TurnEnd> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected TurnEnd initialValue() {
      return new TurnEnd();
    }
  };

  private final ArrayList<Runnable> due = new ArrayList<>();
  /** The loop this thread's run is queued on; null when none is queued. */
  private EventLoop queuedOn;
  /** A run is under way: work due now joins it, and an early end waits for it. */
  private boolean running;
  /** What failed in an early end, reported by the queued end of the turn. */
  private RuntimeException earlyFailure;
  /** How many turns have ended on this thread: a turn's number. */
  private long ended;

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

  /**
   * Runs now, on this thread, the work due so far at the end of this turn: the writers that
   * wrote on this event loop since the last end flush now. The queued end of the turn still runs
   * and does what is due by then, and it reports what failed now: the caller goes on with its
   * task. Does nothing on a thread that has no work due, or while the turn's end itself runs
   * (what it calls may write and come back here).
   */
  public static void runNow() {
    TurnEnd turn = OF_THREAD.getIfExists();
    if (turn != null && !turn.running && !turn.due.isEmpty()) {
      RuntimeException failure = turn.runDue();
      if (failure != null) {
        if (turn.earlyFailure == null) {
          turn.earlyFailure = failure;
        } else {
          turn.earlyFailure.addSuppressed(failure);
        }
      }
    }
  }

  /**
   * How many turns in which something was written have ended on this thread: two calls that see
   * the same number are in the same turn, as far as the writers' flushes go.
   */
  public static long turnsEnded() {
    TurnEnd turn = OF_THREAD.getIfExists();
    return turn == null ? 0 : turn.ended;
  }

  @Override
  public void run() {
    ended++;
    RuntimeException failure = earlyFailure;
    earlyFailure = null;
    try {
      if (!running) { // else this task ran inside an early end, which runs what is due
        RuntimeException now = runDue();
        if (failure == null) {
          failure = now;
        } else if (now != null) {
          failure.addSuppressed(now);
        }
      }
    } finally {
      queuedOn = null;
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Runs what is due; returns what failed, if anything did, once everything ran. */
  private RuntimeException runDue() {
    // Work scheduled while this runs joins this run: it is due at the same turn's end. One that
    // fails must not keep the others, or the next turns, from running.
    running = true;
    RuntimeException failure = null;
    try {
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
    } finally {
      due.clear();
      running = false;
    }
    return failure;
  }
}

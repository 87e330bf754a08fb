package io.reactivews.core.netty;

import io.netty.channel.Channel;
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
 * <p>What a connection writes while its own reads are handled (an echo, a reply) is flushed when
 * that read batch ends ({@link ReadBatchEnd}), not at the end of the turn: a turn reads every
 * ready connection, and a reply held until all of them were read would hold its buffers (a
 * relayed frame holds the read it came in) for the whole turn, tens of megabytes under load,
 * more than the allocator keeps pooled. Each connection is still flushed once per batch.
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
  /** Work of the connection whose reads are being handled, due when its read batch ends. */
  private final ArrayList<Runnable> dueAfterRead = new ArrayList<>();
  /** The connection whose read batch is under way on this thread, if any. */
  private Channel reading;
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
   * Runs {@code work}, the flush of {@code channel}, at the end of this turn of {@code loop}, or
   * when the channel's read batch ends if that is under way; call on the loop only. False, doing
   * nothing, when this thread's run is queued on another loop (a thread that drives several,
   * as a test's embedded channels do, or one whose queued run was never run): the caller then
   * queues its own task.
   */
  static boolean schedule(EventLoop loop, Channel channel, Runnable work) {
    TurnEnd turn = OF_THREAD.get();
    if (turn.queuedOn != null && turn.queuedOn != loop) {
      return false;
    }
    // The turn's end runs even work due after a read batch, should that batch never end.
    (channel == turn.reading ? turn.dueAfterRead : turn.due).add(work);
    if (turn.queuedOn == null) {
      turn.queuedOn = loop;
      try {
        loop.execute(turn);
      } catch (RejectedExecutionException e) {
        turn.run(); // the loop is shutting down: flush what was written now
      }
    }
    return true;
  }

  /** {@code channel}'s reads are being handled: what it writes now waits for their end. */
  static void readStarted(Channel channel) {
    TurnEnd turn = OF_THREAD.get();
    if (turn.reading != channel) {
      turn.readEnded(); // a batch whose end went unseen ends here
      turn.reading = channel;
    }
  }

  /**
   * {@code channel}'s read batch ended: flushes what it wrote meanwhile. What fails is reported by
   * the turn's end, as in an early end.
   */
  static void readEnded(Channel channel) {
    TurnEnd turn = OF_THREAD.getIfExists();
    if (turn != null && turn.reading == channel) {
      turn.readEnded();
    }
  }

  private void readEnded() {
    reading = null;
    runEarly(dueAfterRead);
  }

  /**
   * Runs now, on this thread, the work due so far at the end of this turn: the writers that
   * wrote on this event loop since the last end flush now. The queued end of the turn still runs
   * and does what is due by then, and it reports what failed now: the caller goes on with its
   * task. Does nothing on a thread that has no work due, or while the turn's end itself runs
   * (what it calls may write and come back here). Work due at the end of a read batch stays due
   * then.
   */
  public static void runNow() {
    TurnEnd turn = OF_THREAD.getIfExists();
    if (turn != null) {
      turn.runEarly(turn.due);
    }
  }

  /**
   * Runs {@code list} before the turn's end, unless that end runs now; what fails is reported by
   * the queued end, so that the task or the read batch that called goes on.
   */
  private void runEarly(ArrayList<Runnable> list) {
    if (running || list.isEmpty()) {
      return;
    }
    // Read after: a turn's end run inside it (on a refused loop) reports and clears earlyFailure.
    RuntimeException failure = runAll(list);
    earlyFailure = withSuppressed(earlyFailure, failure);
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
        failure = withSuppressed(failure, runDue());
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
    reading = null; // no read batch spans a turn's end
    RuntimeException failure = runAll(dueAfterRead);
    return withSuppressed(failure, runAll(due));
  }

  /** Runs the work in {@code list}, then empties it; returns what failed, once all ran. */
  private RuntimeException runAll(ArrayList<Runnable> list) {
    // Work scheduled while this runs joins this run: it is due at the same turn's end. One that
    // fails must not keep the others, or the next turns, from running.
    running = true;
    RuntimeException failure = null;
    try {
      for (int i = 0; i < list.size(); i++) {
        try {
          list.get(i).run();
        } catch (RuntimeException e) {
          failure = withSuppressed(failure, e);
        }
      }
    } finally {
      list.clear();
      running = false;
    }
    return failure;
  }

  /** The first failure, carrying {@code next} as suppressed; either may be null. */
  private static RuntimeException withSuppressed(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    if (next != null) {
      first.addSuppressed(next);
    }
    return first;
  }
}

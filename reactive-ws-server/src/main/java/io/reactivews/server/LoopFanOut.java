package io.reactivews.server;

import io.netty.util.concurrent.EventExecutor;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.netty.TurnEnd;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.util.concurrent.Queues;

/**
 * The lanes of a {@link Broadcast} whose sessions share one event loop, and the messages on their
 * way to them. The source's thread only queues each message here (one reference, one queue node)
 * and wakes the loop once per burst; the loop then offers the whole burst to each of its lanes in
 * turn, so the sessions' writes happen on their own thread, with no hand-over per session and
 * one flush per session per burst. When bursts are sparse (one per event-loop turn), each
 * session is flushed as soon as its share is written ({@link TurnEnd#runNow}), so the first
 * session's bytes do not wait for the last one's to be written; when a turn carries several
 * (a read of many published messages), they are left to the turn's end and gathered into one
 * write per session, as an early flush there would add a second write per session and turn.
 *
 * <p>A lane joins with the number of the first message it may get, so a message published before
 * it joined never reaches it, even if the loop fans it out afterwards. Order per lane is the
 * source's: one queue, emptied by one thread. A message published on the loop itself is fanned
 * out there and then, as a direct send would be written: a session that publishes and then
 * answers in the same task has the broadcast go first.
 *
 * <p>Thread-safe: any thread publishes and joins; the lane list is the loop's alone.
 */
final class LoopFanOut implements Runnable {

  /** A message and its number in the source's order. */
  private record Numbered(long number, PreparedMessage message) {}

  /** The source ended, after every message queued before this. */
  private record End(Throwable error) {}

  private final Executor loop;
  private final Queue<Object> inbox = Queues.unboundedMultiproducer().get();
  private final Queue<Lane> joining = Queues.<Lane>unboundedMultiproducer().get();
  private final AtomicInteger wip = new AtomicInteger();
  /** Lanes that joined and have not finished; the source skips a loop that has none. */
  private final AtomicInteger members = new AtomicInteger();

  // The loop's own.
  private final ArrayList<Lane> lanes = new ArrayList<>();
  private final ArrayList<Numbered> burst = new ArrayList<>();
  /** The turn ({@link TurnEnd#turnsEnded}) of the last burst, and how many bursts it had. */
  private long turn = -1;
  private int burstsInTurn;
  /** Whether the last turn with bursts had more than one: then no early flush. */
  private boolean busy;

  LoopFanOut(Executor loop) {
    this.loop = loop;
  }

  /** Adds {@code lane}; it is offered the messages numbered from its {@link Lane#firstNumber}. */
  void join(Lane lane) {
    members.incrementAndGet();
    joining.offer(lane);
    schedule();
  }

  /** A lane ended: the loop forgets it at its next run, which this asks for. */
  void left() {
    members.decrementAndGet();
    schedule();
  }

  /** Queues message number {@code number}, taking a reference, unless no lane is here. */
  void publish(long number, PreparedMessage message) {
    if (members.get() == 0) {
      return;
    }
    inbox.offer(new Numbered(number, message.retain()));
    schedule();
  }

  /** The source ended: each lane here completes once it was offered what came before. */
  void end(Throwable error) {
    inbox.offer(new End(error));
    schedule();
  }

  private void schedule() {
    if (wip.getAndIncrement() == 0) {
      if (loop instanceof EventExecutor executor && executor.inEventLoop()) {
        run();
        return;
      }
      try {
        loop.execute(this);
      } catch (RejectedExecutionException e) {
        run(); // the loop is gone: its sessions are closing, and the queue must still be freed
      }
    }
  }

  @Override
  public void run() {
    int missed = 1;
    for (; ; ) {
      drainInbox();
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /**
   * Takes what waits in the inbox, in bursts ended by an end marker. A lane that joined before a
   * message was queued is in the list by the time the message is fanned out: the joiners are
   * taken after the burst.
   */
  private void drainInbox() {
    for (; ; ) {
      End end = null;
      Object next;
      while ((next = inbox.poll()) != null) {
        if (next instanceof Numbered numbered) {
          burst.add(numbered);
        } else {
          end = (End) next;
          break;
        }
      }
      admitJoiners();
      fanOut();
      if (end != null) {
        for (Lane lane : lanes) {
          lane.complete(end.error());
        }
        continue;
      }
      return;
    }
  }

  private void admitJoiners() {
    Lane lane;
    while ((lane = joining.poll()) != null) {
      lanes.add(lane);
    }
  }

  /** Offers the burst lane by lane, dropping the lanes that ended; then frees the burst. */
  private void fanOut() {
    try {
      offerBurst();
    } finally {
      for (Numbered numbered : burst) {
        numbered.message().release();
      }
      burst.clear();
    }
  }

  /**
   * Whether this burst is alone in its turn as far as can be told: the first of its turn, after a
   * turn that had one. A second burst in a turn that ended early would cost each session a
   * second write; a turn of several bursts is taken as a sign that the next has several too.
   */
  private boolean sparse() {
    long now = TurnEnd.turnsEnded();
    if (now != turn) {
      busy = burstsInTurn > 1;
      turn = now;
      burstsInTurn = 0;
    }
    return ++burstsInTurn == 1 && !busy;
  }

  private void offerBurst() {
    int n = burst.size();
    boolean endEarly = sparse();
    for (int i = 0; i < lanes.size(); ) {
      Lane lane = lanes.get(i);
      if (lane.isFinished()) {
        int last = lanes.size() - 1;
        lanes.set(i, lanes.get(last));
        lanes.remove(last);
        continue;
      }
      long first = lane.firstNumber();
      // One by one, as the session takes them: a burst offered at once would meet the
      // policy's bound before the session took any, and drop what it could have taken.
      boolean offered = false;
      for (int m = 0; m < n; m++) {
        Numbered numbered = burst.get(m);
        if (numbered.number() >= first) {
          lane.offer(numbered.message());
          offered = true;
        }
      }
      if (offered && endEarly) {
        // This session's share is written: its bytes leave now, not after every other
        // session's, at the same one flush per session and burst.
        TurnEnd.runNow();
      }
      i++;
    }
  }
}

package io.reactivews.server;

import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.session.WebSocketSession;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * One session's place in a {@link Broadcast}: a bounded queue with an {@link OverflowPolicy} at
 * its door, published to the session, which pulls one message each time its network takes one
 * ({@link io.reactivews.core.internal.DrivenSession#sendPrepared}). The broadcast's source never
 * waits for it.
 *
 * <p>Ownership: a queued message holds one reference, taken when it is queued. The reference
 * goes to the session with {@code onNext}, or is released when the policy drops the message or
 * the lane ends with it still queued. Every message offered is counted once as delivered,
 * dropped, unsent (queued when the lane ended) or still queued.
 *
 * <p>Too slow (see {@link OverflowPolicy}): with a grace, the lane notes when the session last
 * took a message while others waited, and a timer, armed only while messages wait, closes the
 * session once that is longer ago than the grace. The session takes one message each time its
 * connection has room, so this measures the network, not the size of the last burst.
 *
 * <p>A session that keeps up never has a queue: a message offered while nothing waits, the
 * session has asked for one and no other signal is on its way goes straight to it. At 10,000
 * viewers each lane is touched once per message, and each object it touches is likely a cache
 * miss; the queue, made when something first has to wait, is two objects fewer on that path.
 *
 * <p>Thread-safe: the source offers on its thread while the session requests and cancels on its
 * transport's. The queue and counters are guarded by this object's lock; signals to the session
 * are serialized by a drain loop that runs outside it.
 */
final class Lane implements Publisher<PreparedMessage>, Subscription {

  private final WebSocketSession session;
  private final OverflowPolicy policy;
  private final Broadcast.Totals totals;
  private final Consumer<Lane> onFinish;
  private final long firstNumber;
  private final Sinks.Empty<Void> ended = Sinks.empty();
  /** The drain token: whoever raises it from 0 signals the session until it is back to 0. */
  private volatile int wip;
  private static final AtomicIntegerFieldUpdater<Lane> WIP =
      AtomicIntegerFieldUpdater.newUpdater(Lane.class, "wip");
  /** Messages handed to the session in this drain, not yet in the totals; the drain's own. */
  private int handedOver;

  // Guarded by "this". The queue is made when a message first has to wait.
  private ArrayDeque<PreparedMessage> queue;
  private long queuedBytes;
  private int peakMessages;
  private long peakBytes;
  private long offered;
  private long delivered;
  private long dropped;
  private long unsent;
  private long requested;
  private Subscriber<? super PreparedMessage> downstream;
  private boolean ready; // onSubscribe returned: signals may flow
  private boolean cancelled; // the session takes no more
  private boolean stopping; // disposed or disconnected: drop the queue now
  private boolean disconnected;
  private boolean sourceDone;
  private Throwable sourceError;
  private volatile boolean finished; // the queue is released and counters are final
  private boolean completed; // the session got onComplete
  private long progressAt; // when the session last took a message, or the queue filled (ms)
  private Disposable stallTimer; // armed while messages wait and the policy has a grace

  Lane(WebSocketSession session, OverflowPolicy policy, Broadcast.Totals totals,
      Consumer<Lane> onFinish, long firstNumber) {
    this.session = session;
    this.policy = policy;
    this.totals = totals;
    this.onFinish = onFinish;
    this.firstNumber = firstNumber;
  }

  /** The number, in the source's order, of the first message published after the lane began. */
  long firstNumber() {
    return firstNumber;
  }

  WebSocketSession session() {
    return session;
  }

  OverflowPolicy policy() {
    return policy;
  }

  Sinks.Empty<Void> ended() {
    return ended;
  }

  /**
   * Hands {@code message} to the session, or queues it (each taking a reference), or applies the
   * policy; never blocks.
   */
  void offer(PreparedMessage message) {
    if (wip != 0 || !WIP.compareAndSet(this, 0, 1)) {
      offerQueued(message); // a drain is under way, here or on another thread: join the queue
      return;
    }
    // The drain token is ours, so nothing else signals the session meanwhile.
    Subscriber<? super PreparedMessage> direct = null;
    boolean disconnect = false;
    synchronized (this) {
      if (open()) {
        if (ready && requested > 0 && nothingQueued()) {
          offered++;
          delivered++;
          requested--;
          direct = downstream;
        } else {
          disconnect = enqueue(message);
        }
      }
    }
    if (direct == null) {
      if (disconnect) {
        closeSession();
      }
      drainLoop(1); // what was queued, and whatever was signalled meanwhile
      return;
    }
    direct.onNext(message.retain());
    totals.delivered.increment();
    int missed = WIP.decrementAndGet(this);
    if (missed != 0) {
      drainLoop(missed); // the session asked, cancelled or the source ended meanwhile
    }
  }

  /** Queues {@code message} or applies the policy, and leaves the rest to a drain. */
  private void offerQueued(PreparedMessage message) {
    boolean disconnect;
    synchronized (this) {
      if (!open()) {
        return;
      }
      disconnect = enqueue(message);
    }
    if (disconnect) {
      closeSession();
    }
    drain();
  }

  /** Whether no message waits; called holding the lock. */
  private boolean nothingQueued() {
    return queue == null || queue.isEmpty();
  }

  private int queuedCount() {
    return queue == null ? 0 : queue.size();
  }

  /** Whether offers are still taken; called holding the lock. */
  private boolean open() {
    return !(finished || cancelled || stopping || sourceDone);
  }

  /**
   * Queues one message or applies the policy; true if the policy disconnects the session now.
   * Called holding the lock, with the lane open.
   */
  private boolean enqueue(PreparedMessage message) {
    offered++;
    int size = message.frameSize();
    if (!fits(size)) {
      switch (policy.action()) {
        case DROP_NEWEST -> {
          countDropped(1);
          return false;
        }
        case DISCONNECT -> {
          countDropped(1);
          return markDisconnected();
        }
        default -> {
          while (!fits(size)) {
            PreparedMessage oldest = queue.poll();
            queuedBytes -= oldest.frameSize();
            oldest.release();
            countDropped(1);
          }
        }
      }
    }
    if (queue == null) {
      queue = new ArrayDeque<>();
    }
    if (queue.isEmpty() && !policy.grace().isZero()) {
      progressAt = now();
      armStallTimer(policy.grace().toMillis());
    }
    queue.add(message.retain());
    queuedBytes += size;
    peakMessages = Math.max(peakMessages, queue.size());
    peakBytes = Math.max(peakBytes, queuedBytes);
    return false;
  }

  /** Stops the lane as too slow; true if this call did it. Called holding the lock. */
  private boolean markDisconnected() {
    if (stopping) {
      return false;
    }
    stopping = true;
    disconnected = true;
    return true;
  }

  private void closeSession() {
    // Close first: a handler waiting for this lane's end would otherwise close with 1000.
    totals.disconnected.increment();
    session.close(policy.closeStatus()).subscribe(null, e -> { });
  }

  private long now() {
    return policy.scheduler().now(TimeUnit.MILLISECONDS);
  }

  /** Called holding the lock; one timer at a time, so a lane costs at most one per grace. */
  private void armStallTimer(long delayMillis) {
    if (stallTimer == null && !finished) {
      stallTimer = policy.scheduler().schedule(this::checkStall, delayMillis,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The grace timer: judge the session if messages still wait, or look again later. */
  private void checkStall() {
    boolean disconnect = false;
    synchronized (this) {
      stallTimer = null;
      if (finished || stopping || nothingQueued()) {
        return;
      }
      long waited = now() - progressAt;
      long grace = policy.grace().toMillis();
      if (waited >= grace) {
        disconnect = markDisconnected();
      } else {
        armStallTimer(grace - waited);
      }
    }
    if (disconnect) {
      closeSession();
      drain();
    }
  }

  /** A lone message always fits, so that any message can reach a peer that keeps up. */
  private boolean fits(int size) {
    if (nothingQueued()) {
      return true;
    }
    return policy.action() != OverflowPolicy.Action.LATEST
        && queue.size() < policy.maxMessages()
        && queuedBytes + size <= policy.maxBytes();
  }

  private void countDropped(long n) {
    dropped += n;
    totals.dropped.add(n);
  }

  /** The source ended: deliver what is queued, then complete. */
  void complete(Throwable error) {
    synchronized (this) {
      if (sourceDone) {
        return;
      }
      sourceDone = true;
      sourceError = error;
    }
    drain();
  }

  /** Ends now: the queue is released and the session's send completes. */
  void dispose() {
    synchronized (this) {
      stopping = true;
    }
    drain();
  }

  boolean isFinished() {
    return finished;
  }

  @Override
  public void subscribe(Subscriber<? super PreparedMessage> actual) {
    synchronized (this) {
      if (downstream != null) {
        Operators.error(actual, new IllegalStateException("a lane has one subscriber"));
        return;
      }
      downstream = actual;
    }
    actual.onSubscribe(this);
    synchronized (this) {
      ready = true;
    }
    drain();
  }

  @Override
  public void request(long n) {
    if (Operators.validate(n)) {
      boolean waiting;
      synchronized (this) {
        requested = Operators.addCap(requested, n);
        waiting = !nothingQueued();
      }
      // Demand alone moves nothing: the next offer drains. A session asks for one more as it
      // writes each message, mostly from inside onNext, so this spares a pass per delivery.
      if (waiting) {
        drain();
      }
    }
  }

  /** The session takes no more: it is closing, or it could not start sending. */
  @Override
  public void cancel() {
    synchronized (this) {
      cancelled = true;
    }
    drain();
  }

  private void drain() {
    if (WIP.getAndIncrement(this) != 0) {
      return;
    }
    drainLoop(1);
  }

  /** Holding the drain token: steps while anything moves, until no signal was missed. */
  private void drainLoop(int missedBefore) {
    int missed = missedBefore;
    for (; ; ) {
      while (step()) {
        // keep going while something moved
      }
      if (handedOver != 0) { // counted in total once per drain, not once per message
        totals.delivered.add(handedOver);
        handedOver = 0;
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Hands one message over, or ends the lane; false if nothing more can move now. */
  private boolean step() {
    PreparedMessage next = null;
    boolean more = false;
    boolean complete = false;
    boolean justFinished = false;
    Subscriber<? super PreparedMessage> target;
    synchronized (this) {
      target = ready ? downstream : null;
      if (!finished) {
        if (cancelled || stopping) {
          releaseQueue();
          finished = justFinished = true;
          stopStallTimer();
        } else if (target != null && requested > 0 && !nothingQueued()) {
          next = queue.poll();
          queuedBytes -= next.frameSize();
          requested--;
          delivered++;
          if (!queue.isEmpty() && !policy.grace().isZero()) {
            progressAt = now();
          }
          // Whether another step has work; a signal arriving meanwhile drains again anyway.
          more = queue.isEmpty() ? sourceDone : requested > 0;
        } else if (sourceDone && nothingQueued()) {
          finished = justFinished = true;
          stopStallTimer();
        }
      }
      if (finished && target != null && !cancelled && !completed) {
        completed = complete = true;
      }
    }
    if (next != null) {
      handedOver++;
      target.onNext(next);
    }
    if (complete) {
      target.onComplete();
    }
    if (justFinished) {
      onFinish.accept(this);
      Throwable error = endError();
      if (error != null) {
        ended.tryEmitError(error);
      } else {
        ended.tryEmitEmpty();
      }
    }
    return more || complete || justFinished;
  }

  private void stopStallTimer() {
    if (stallTimer != null) {
      stallTimer.dispose();
      stallTimer = null;
    }
  }

  /** A source failure fails the end only when the lane ended because of it. */
  private synchronized Throwable endError() {
    return cancelled || stopping ? null : sourceError;
  }

  private void releaseQueue() {
    long n = queuedCount();
    PreparedMessage m;
    while (queue != null && (m = queue.poll()) != null) {
      m.release();
    }
    queuedBytes = 0;
    if (disconnected) {
      countDropped(n);
    } else {
      unsent += n;
      totals.unsent.add(n);
    }
  }

  synchronized BroadcastSubscription.Stats stats() {
    return new BroadcastSubscription.Stats(offered, delivered, dropped, unsent, queuedCount(),
        queuedBytes, peakMessages, peakBytes, disconnected);
  }

  @Override
  public String toString() {
    return "Lane[" + session.id() + " " + policy + "]";
  }
}

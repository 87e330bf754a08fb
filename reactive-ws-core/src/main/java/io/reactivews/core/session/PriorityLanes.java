package io.reactivews.core.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.util.annotation.Nullable;

/**
 * The outbound queue's storage: two FIFO lanes, urgent entries (pings, pongs) taken ahead of
 * messages. The queue makes this when something first waits, and each lane is made when first
 * used, so an idle session, or one whose every message is written on the spot, holds neither.
 *
 * <p>Thread-safe: any thread may offer; polls are made by one thread at a time (the drain loop).
 */
final class PriorityLanes {

  private volatile Queue<Outgoing> urgent;
  private volatile Queue<Outgoing> messages;

  void offer(Outgoing entry) {
    if (entry.urgent()) {
      lane(URGENT).offer(entry);
    } else {
      lane(MESSAGES).offer(entry);
    }
  }

  /** The next entry, urgent ones first; null when both lanes are empty. */
  @Nullable
  Outgoing poll() {
    Outgoing next = poll(urgent);
    return next != null ? next : poll(messages);
  }

  /** The next message, passing over urgent entries; null when there is none. */
  @Nullable
  Outgoing pollMessage() {
    return poll(messages);
  }

  /** The next urgent entry; null when there is none. */
  @Nullable
  Outgoing pollUrgent() {
    return poll(urgent);
  }

  boolean isEmpty() {
    return isEmpty(urgent) && isEmpty(messages);
  }

  /** Whether either lane was ever made: memory a session keeps once it has queued anything. */
  boolean madeAny() {
    return urgent != null || messages != null;
  }

  private Queue<Outgoing> lane(AtomicReferenceFieldUpdater<PriorityLanes, Queue> which) {
    @SuppressWarnings("unchecked")
    Queue<Outgoing> q = (Queue<Outgoing>) which.get(this);
    if (q == null) {
      which.compareAndSet(this, null, new ConcurrentLinkedQueue<Outgoing>());
      @SuppressWarnings("unchecked")
      Queue<Outgoing> made = (Queue<Outgoing>) which.get(this);
      q = made;
    }
    return q;
  }

  private static boolean isEmpty(Queue<Outgoing> queue) {
    return queue == null || queue.isEmpty();
  }

  private static Outgoing poll(Queue<Outgoing> queue) {
    return queue == null ? null : queue.poll();
  }

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<PriorityLanes, Queue> URGENT =
      AtomicReferenceFieldUpdater.newUpdater(PriorityLanes.class, Queue.class, "urgent");
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<PriorityLanes, Queue> MESSAGES =
      AtomicReferenceFieldUpdater.newUpdater(PriorityLanes.class, Queue.class, "messages");
}

package io.reactivews.core.session;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * How much the sink ({@code tryEmit}) may hold unwritten: at most so many messages and so many
 * bytes. A message is counted when it is queued and uncounted when it leaves the queue, written
 * or dropped. One message larger than the byte limit is still taken when nothing else is queued,
 * or it could never be sent at all.
 *
 * <p>Thread-safe and lock-free: any thread may emit while the drain loop settles. The counts are
 * fields updated in place, not atomic objects: every session has a budget, most never use it.
 */
final class SinkBudget {

  private final int maxMessages;
  private final long maxBytes;
  private volatile int messages;
  private volatile long bytes;

  private static final AtomicIntegerFieldUpdater<SinkBudget> MESSAGES =
      AtomicIntegerFieldUpdater.newUpdater(SinkBudget.class, "messages");
  private static final AtomicLongFieldUpdater<SinkBudget> BYTES =
      AtomicLongFieldUpdater.newUpdater(SinkBudget.class, "bytes");

  SinkBudget(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** Counts a message of {@code size} bytes; false, counting nothing, if it would overflow. */
  boolean tryAcquire(long size) {
    for (; ; ) {
      int n = messages;
      if (n >= maxMessages) {
        return false;
      }
      if (MESSAGES.compareAndSet(this, n, n + 1)) {
        break;
      }
    }
    long total = BYTES.addAndGet(this, size);
    if (total > maxBytes && total != size) {
      BYTES.addAndGet(this, -size);
      MESSAGES.decrementAndGet(this);
      return false;
    }
    return true;
  }

  /** A counted message of {@code size} bytes left the queue. */
  void release(long size) {
    BYTES.addAndGet(this, -size);
    MESSAGES.decrementAndGet(this);
  }

  /** Messages counted now. */
  int messages() {
    return messages;
  }

  /** Bytes counted now. */
  long bytes() {
    return bytes;
  }
}

package io.reactivews.core.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much the sink ({@code tryEmit}) may hold unwritten: at most so many messages and so many
 * bytes. A message is counted when it is queued and uncounted when it leaves the queue, written
 * or dropped. One message larger than the byte limit is still taken when nothing else is queued,
 * or it could never be sent at all.
 *
 * <p>Thread-safe and lock-free: any thread may emit while the drain loop settles.
 */
final class SinkBudget {

  private final int maxMessages;
  private final long maxBytes;
  private final AtomicInteger messages = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  SinkBudget(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** Counts a message of {@code size} bytes; false, counting nothing, if it would overflow. */
  boolean tryAcquire(long size) {
    for (; ; ) {
      int n = messages.get();
      if (n >= maxMessages) {
        return false;
      }
      if (messages.compareAndSet(n, n + 1)) {
        break;
      }
    }
    long total = bytes.addAndGet(size);
    if (total > maxBytes && total != size) {
      bytes.addAndGet(-size);
      messages.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A counted message of {@code size} bytes left the queue. */
  void release(long size) {
    bytes.addAndGet(-size);
    messages.decrementAndGet();
  }

  /** Messages counted now. */
  int messages() {
    return messages.get();
  }

  /** Bytes counted now. */
  long bytes() {
    return bytes.get();
  }
}

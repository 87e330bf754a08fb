package io.reactivews.core.limit;

/**
 * Two token buckets, one for messages and one for bytes, refilled from the clock a caller reads.
 * A message may pass when a message token is there and the byte bucket is not in debt; its bytes
 * are charged as it passes, so a message larger than the burst still passes and the debt is
 * repaid before the next one: the byte rate holds on average. Thread-safe (the rate limiter's
 * timer and its event loop both touch it).
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double messageRate; // per nanosecond; 0: no message limit
  private final double messageBurst;
  private final double byteRate;
  private final double byteBurst;
  private double messages;
  private double bytes;
  private long last;

  TokenBucket(RateLimit limit, long now) {
    this.messageRate = limit.messagesPerSecond() / NANOS_PER_SECOND;
    this.messageBurst = limit.burstMessages();
    this.byteRate = limit.bytesPerSecond() / NANOS_PER_SECOND;
    this.byteBurst = limit.burstBytes();
    this.messages = messageBurst;
    this.bytes = byteBurst;
    this.last = now;
  }

  /** Takes a message token if one may pass now; else returns the nanoseconds until one may. */
  synchronized long reserve(long now) {
    refill(now);
    long wait = 0;
    if (messageRate > 0 && messages < 1) {
      wait = (long) Math.ceil((1 - messages) / messageRate);
    }
    if (byteRate > 0 && bytes <= 0) {
      wait = Math.max(wait, (long) Math.ceil((1 - bytes) / byteRate));
    }
    if (wait == 0 && messageRate > 0) {
      messages -= 1;
    }
    return Math.max(wait, 0);
  }

  /** Charges the bytes of a message that passed after {@link #reserve}. */
  synchronized void charge(long size) {
    if (byteRate > 0) {
      bytes -= size;
    }
  }

  /** Takes what a message of {@code size} bytes costs if it may pass now; false if not. */
  synchronized boolean tryTake(long size, long now) {
    if (reserve(now) != 0) {
      return false;
    }
    charge(size);
    return true;
  }

  private void refill(long now) {
    long elapsed = now - last;
    if (elapsed <= 0) {
      return;
    }
    last = now;
    if (messageRate > 0) {
      messages = Math.min(messageBurst, messages + elapsed * messageRate);
    }
    if (byteRate > 0) {
      bytes = Math.min(byteBurst, bytes + elapsed * byteRate);
    }
  }
}

package io.reactivews.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers an allocator of a test refuses, as Netty's does when direct memory runs out: with an
 * {@link OutOfMemoryError}. An allocator calls {@link #check()} before each buffer it makes.
 */
public final class Refusals {

  /** The refused allocation's message. */
  public static final String MESSAGE = "no direct memory in this test";

  /** How many of the next buffers are refused. */
  private final AtomicInteger left = new AtomicInteger();

  /** Refuses the next {@code buffers} buffers. */
  public void refuse(int buffers) {
    left.set(buffers);
  }

  /** Throws if this buffer is one to refuse. */
  public void check() {
    if (left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new OutOfMemoryError(MESSAGE);
    }
  }
}

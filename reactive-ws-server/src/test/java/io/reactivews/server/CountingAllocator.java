package io.reactivews.server;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.reactivews.testing.Refusals;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An unpooled allocator that counts the buffers it hands out and knows the bytes of those not yet
 * released, so a test can count encodes and see exactly how much a broadcast still holds. It can
 * also refuse buffers, as Netty's allocator does when direct memory runs out: with an {@link
 * OutOfMemoryError}.
 */
final class CountingAllocator extends AbstractByteBufAllocator {

  private final UnpooledByteBufAllocator delegate;
  private final AtomicLong allocations = new AtomicLong();
  private final Refusals refusals = new Refusals();

  CountingAllocator(boolean preferDirect) {
    super(preferDirect);
    this.delegate = new UnpooledByteBufAllocator(preferDirect);
  }

  /** Refuses the next {@code buffers} buffers. */
  void refuse(int buffers) {
    refusals.refuse(buffers);
  }

  /** Buffers allocated so far. */
  long allocations() {
    return allocations.get();
  }

  /** Capacity of the buffers allocated and not yet released. */
  long liveBytes() {
    return delegate.metric().usedHeapMemory() + delegate.metric().usedDirectMemory();
  }

  /** Whether {@code buf} (or the buffer it derives from) came from here. */
  boolean allocated(ByteBuf buf) {
    return buf.alloc() == delegate;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    refusals.check();
    allocations.incrementAndGet();
    return delegate.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    refusals.check();
    allocations.incrementAndGet();
    return delegate.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}

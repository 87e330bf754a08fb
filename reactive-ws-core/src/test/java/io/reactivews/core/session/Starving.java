package io.reactivews.core.session;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.reactivews.core.transport.ForwardingTransport;
import io.reactivews.core.transport.Transport;
import io.reactivews.testing.Refusals;

/**
 * Transports whose allocator refuses the next buffers asked of it, as Netty's does when direct
 * memory runs out: with an {@link OutOfMemoryError}.
 */
final class Starving {

  static final String MESSAGE = Refusals.MESSAGE;

  private final Refusals refusals = new Refusals();

  private final ByteBufAllocator alloc = new AbstractByteBufAllocator() {
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      refusals.check();
      return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      refusals.check();
      return Unpooled.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  };

  /** Refuses the next {@code buffers} buffers. */
  void refuse(int buffers) {
    refusals.refuse(buffers);
  }

  /** {@code connection}, allocating from this allocator. */
  Transport transport(Transport connection) {
    return new ForwardingTransport(connection) {
      @Override
      public ByteBufAllocator alloc() {
        return alloc;
      }
    };
  }
}

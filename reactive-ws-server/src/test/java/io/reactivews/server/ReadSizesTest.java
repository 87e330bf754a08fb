package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The read allocator every server connection shares: while the socket keeps filling whole
 * buffers, a connection reads on within one event-loop turn, up to {@link
 * BoundServer#READS_PER_TURN} reads, so what those reads bring is answered in one flush.
 */
class ReadSizesTest {

  @Test
  void readsOnWhileTheSocketFillsEveryBufferUpToTheLimit() {
    assertEquals(BoundServer.READS_PER_TURN, readsInOneTurn(true));
  }

  @Test
  void stopsAtTheFirstReadThatLeavesTheBufferShort() {
    assertEquals(1, readsInOneTurn(false));
  }

  /** Reads one turn makes when each read fills its buffer ({@code full}) or leaves it short. */
  private static int readsInOneTurn(boolean full) {
    EmbeddedChannel channel = new EmbeddedChannel();
    try {
      channel.config().setRecvByteBufAllocator(BoundServer.READ_SIZES);
      RecvByteBufAllocator.Handle handle = BoundServer.READ_SIZES.newHandle();
      handle.reset(channel.config());
      int reads = 0;
      do {
        int size = handle.guess();
        handle.attemptedBytesRead(size);
        handle.lastBytesRead(full ? size : size - 1);
        handle.incMessagesRead(1);
        reads++;
      } while (handle.continueReading() && reads < 10 * BoundServer.READS_PER_TURN);
      handle.readComplete();
      return reads;
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}

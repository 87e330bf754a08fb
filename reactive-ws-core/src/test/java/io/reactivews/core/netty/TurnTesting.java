package io.reactivews.core.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicReference;

/** What the tests of writers and turn ends share: counted flushes, a sink, a fresh thread. */
final class TurnTesting {

  private TurnTesting() {}

  /** Counts flushes on their way to the channel. */
  static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    volatile int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }

  /** An in-memory server's side: reads and releases what its clients wrote. */
  @ChannelHandler.Sharable
  static final class ReleasingHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  interface ChannelWork {
    void run(EmbeddedChannel channel) throws Exception;
  }

  /**
   * Runs {@code work} with an embedded channel on a thread of its own (each thread keeps one
   * turn's end, and the test's must be fresh), then the channel's pending tasks, which hold the
   * queued end of the turn; returns what was thrown, or null.
   */
  static Throwable onFreshThread(ChannelWork work) throws InterruptedException {
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      EmbeddedChannel own = new EmbeddedChannel();
      try {
        work.run(own);
        own.runPendingTasks();
        own.checkException();
      } catch (Throwable t) {
        outcome.set(t);
      } finally {
        own.finishAndReleaseAll();
      }
    });
    thread.start();
    thread.join(5_000);
    return outcome.get();
  }
}

package io.reactivews.core.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Marks where a connection's read batch starts and ends, so that what the connection writes while
 * its own reads are handled is flushed when they end, as a Netty handler that replies from {@code
 * channelReadComplete} would, rather than at the end of the event loop's turn ({@link TurnEnd}).
 *
 * <p>An echo under load shows why: a turn reads up to sixteen times from every ready connection,
 * and a relayed frame keeps the read buffer it arrived in until it is written. Flushed at the
 * turn's end, a turn held every connection's reads at once, more than the allocator keeps pooled:
 * it freed and zeroed fresh memory every turn, and a 16 KiB echo cost half again as much CPU.
 *
 * <p>Stateless and shared by every connection: the batch under way is the event loop's.
 */
@Sharable
final class ReadBatchEnd extends ChannelInboundHandlerAdapter {

  static final String NAME = "reactivews.readBatchEnd";
  private static final ReadBatchEnd INSTANCE = new ReadBatchEnd();

  private ReadBatchEnd() {}

  /** Adds the marker to {@code pipeline}, once, where it sees every read the socket delivers. */
  static void install(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) == null) {
      pipeline.addFirst(NAME, INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    TurnEnd.readStarted(ctx.channel());
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.fireChannelReadComplete();
    TurnEnd.readEnded(ctx.channel());
  }
}

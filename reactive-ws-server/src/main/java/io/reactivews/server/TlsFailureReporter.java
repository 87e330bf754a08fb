package io.reactivews.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.reactivews.server.metrics.ServerMetrics;

/**
 * Turns a failed TLS handshake into a {@link ServerEvent.TlsFailed}: such a connection never
 * reaches the WebSocket handshake, so nothing else would tell. Sits right after the TLS handler
 * and leaves the pipeline once a handshake succeeds, so an open connection carries nothing of it.
 */
@ChannelHandler.Sharable
final class TlsFailureReporter extends ChannelInboundHandlerAdapter {

  static final String NAME = "reactivews.tlsFailures";

  private final ServerEvents events;
  private final ServerMetrics metrics;

  /** Tells {@code events} of each failure, and counts it in {@code metrics} unless null. */
  TlsFailureReporter(ServerEvents events, ServerMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        if (metrics != null) {
          metrics.tlsFailed();
        }
        events.emit(new ServerEvent.TlsFailed(ctx.channel().remoteAddress(), done.cause()));
      }
    }
    ctx.fireUserEventTriggered(evt);
  }
}

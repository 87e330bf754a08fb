package io.reactivews.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Turns a failed TLS handshake into a {@link ServerEvent.TlsFailed}: such a connection never
 * reaches the WebSocket handshake, so nothing else would tell. Sits right after the TLS handler
 * and leaves the pipeline once a handshake succeeds, so an open connection carries nothing of it.
 */
@ChannelHandler.Sharable
final class TlsFailureReporter extends ChannelInboundHandlerAdapter {

  static final String NAME = "reactivews.tlsFailures";

  private final ServerEvents events;

  TlsFailureReporter(ServerEvents events) {
    this.events = events;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        events.emit(new ServerEvent.TlsFailed(ctx.channel().remoteAddress(), done.cause()));
      }
    }
    ctx.fireUserEventTriggered(evt);
  }
}

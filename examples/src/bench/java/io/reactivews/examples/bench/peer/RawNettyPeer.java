package io.reactivews.examples.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatcher;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.CompletableFuture;

/**
 * The bench server's routes on raw Netty 4.2 and its own websocketx handlers, written as a good
 * Netty user writes them: {@code HttpServerCodec}, {@code HttpObjectAggregator} and {@code
 * WebSocketServerProtocolHandler} (frames up to 16 MiB, UTF-8 of text checked), then one small
 * handler per route.
 *
 * <ul>
 *   <li>{@code /echo} writes each data frame back as it comes and flushes once per read batch
 *       ({@code channelReadComplete});
 *   <li>{@code /reply} reads each data frame into a byte array, or a String for text, and
 *       writes a new frame made from it, flushing once per read batch;
 *   <li>{@code /publish} writes each frame to a {@link ChannelGroup} of the {@code /broadcast}
 *       channels (each gets a retained duplicate: encoded per channel, payload shared) and
 *       flushes the group once per read batch. A viewer whose outbound buffer is over its high
 *       water mark is skipped, as a Netty user guards a fan-out against a slow reader;
 *   <li>{@code /stats} answers any message with {@link PeerSupport#stats(String)}.
 * </ul>
 *
 * <p>With {@code --deflate}, Netty's {@code WebSocketServerCompressionHandler} sits before the
 * handshake: permessage-deflate as Netty agrees it by default, keeping context, so each channel
 * compresses what the group writes to it.
 *
 * <p>One event loop, on epoll where Linux has it (NIO elsewhere): Netty's default would be two
 * loops per core, on NIO; every peer of the benchmark runs one I/O loop on the epoll transport,
 * which is what one core can serve and what Reactor Netty (ours too) picks by itself.
 *
 * <pre>
 * java -cp "$(cat examples/target/bench.classpath):examples/target/test-classes" \
 *     io.reactivews.examples.bench.peer.RawNettyPeer --port 9003
 * </pre>
 */
public final class RawNettyPeer {

  private static final ChannelMatcher WRITABLE = Channel::isWritable;

  private RawNettyPeer() {}

  /** Binds the server; closing the returned channel's loop stops it. */
  static Channel start(String host, int port, boolean deflate) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
    ChannelGroup viewers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    return new ServerBootstrap()
        .group(loop)
        .channel(type)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10));
            if (deflate) {
              // Sees the upgrade and its answer, and adds the deflate codecs when agreed.
              ch.pipeline().addLast(new WebSocketServerCompressionHandler(PeerSupport.MAX_MESSAGE));
            }
            ch.pipeline().addLast(new Router(viewers));
          }
        })
        .bind(host, port).sync().channel();
  }

  /** Picks the route by path, then hands the request to the WebSocket handshake. */
  private static final class Router extends ChannelInboundHandlerAdapter {

    private final ChannelGroup viewers;

    Router(ChannelGroup viewers) {
      this.viewers = viewers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof FullHttpRequest request)) {
        ctx.fireChannelRead(msg);
        return;
      }
      String path = new QueryStringDecoder(request.uri()).path();
      ChannelHandler route = switch (path) {
        case "/echo" -> Echo.INSTANCE;
        case "/reply" -> Reply.INSTANCE;
        case "/publish" -> new Publisher(viewers);
        case "/broadcast" -> new Viewer(viewers);
        case "/stats" -> Stats.INSTANCE;
        default -> null;
      };
      if (route == null) {
        request.release();
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.NOT_FOUND)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
          .websocketPath(path)
          .decoderConfig(WebSocketDecoderConfig.newBuilder()
              .maxFramePayloadLength(PeerSupport.MAX_MESSAGE)
              .build())
          .build();
      ctx.pipeline().addAfter(ctx.name(), "websocket", new WebSocketServerProtocolHandler(config))
          .addAfter("websocket", "route", route);
      ctx.fireChannelRead(request);
      ctx.pipeline().remove(this);
    }
  }

  /** Writes every data frame back; one flush per read batch. */
  @ChannelHandler.Sharable
  private static final class Echo extends ChannelInboundHandlerAdapter {

    static final Echo INSTANCE = new Echo();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof WebSocketFrame) {
        ctx.write(msg, ctx.voidPromise());
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /**
   * Reads each data frame into memory of its own (a byte array, or a String for text) and writes
   * a new frame made from it; one flush per read batch.
   */
  @ChannelHandler.Sharable
  private static final class Reply extends ChannelInboundHandlerAdapter {

    static final Reply INSTANCE = new Reply();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
          ctx.write(PeerSupport.replyTo((WebSocketFrame) msg), ctx.voidPromise());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /** Writes each frame to every viewer; flushes them all once per read batch. */
  private static final class Publisher extends ChannelInboundHandlerAdapter {

    private final ChannelGroup viewers;

    Publisher(ChannelGroup viewers) {
      this.viewers = viewers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof WebSocketFrame) {
        viewers.write(msg, WRITABLE, true); // a retained duplicate each; releases msg
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      viewers.flush();
    }
  }

  /** Joins the group once the handshake is done; what the viewer sends is ignored. */
  private static final class Viewer extends ChannelInboundHandlerAdapter {

    private final ChannelGroup viewers;

    Viewer(ChannelGroup viewers) {
      this.viewers = viewers;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        viewers.add(ctx.channel()); // the group forgets it when it closes
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Answers each message with the stats, computed off the event loop (they run a GC). */
  @ChannelHandler.Sharable
  private static final class Stats extends ChannelInboundHandlerAdapter {

    static final Stats INSTANCE = new Stats();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      String question = msg instanceof TextWebSocketFrame text ? text.text() : "";
      ReferenceCountUtil.release(msg);
      CompletableFuture.supplyAsync(() -> PeerSupport.stats(question))
          .thenAccept(text -> ctx.writeAndFlush(new TextWebSocketFrame(text)));
    }
  }

  public static void main(String[] args) throws InterruptedException {
    PeerSupport.Options options = PeerSupport.Options.parse(args, 9003);
    Channel server = start(options.host(), options.port(), options.deflate());
    PeerSupport.announce("raw Netty websocketx, " + (Epoll.isAvailable() ? "epoll" : "NIO"),
        options,
        ((java.net.InetSocketAddress) server.localAddress()).getPort());
    server.closeFuture().sync();
  }
}

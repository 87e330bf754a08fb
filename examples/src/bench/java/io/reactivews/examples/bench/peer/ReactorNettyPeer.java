package io.reactivews.examples.bench.peer;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The comparison peer: the bench server's routes ({@code /echo}, {@code /reply}, {@code
 * /publish}, {@code /broadcast}, {@code /stats}) written the way a Reactor Netty user writes
 * them, on its own WebSocket support. Frames are echoed as they come (a message sent whole comes
 * back whole), up to 16 MiB, or answered with a new frame made from their text or a copy of
 * their bytes; broadcast goes through one multicast sink, each viewer taking a retained duplicate
 * of the frame into its own buffer of 4,096 that drops its oldest when full (Reactor Netty's
 * send releases what the buffer drops: its discard hook releases reference-counted elements).
 *
 * <p>Its event loops are Reactor Netty's: epoll on Linux, as many as {@code
 * reactor.netty.ioWorkerCount} says (at least four by default, even on one core; compare.sh sets
 * one, as for every peer).
 *
 * <p>With {@code --deflate} the spec has {@code compress(true)}: permessage-deflate as Reactor
 * Netty agrees it, keeping context, so each viewer's connection compresses for itself.
 *
 * <pre>
 * java -cp "$(cat examples/target/bench.classpath):examples/target/test-classes" \
 *     io.reactivews.examples.bench.peer.ReactorNettyPeer --port 9002
 * </pre>
 */
public final class ReactorNettyPeer {

  private ReactorNettyPeer() {}

  static DisposableServer start(String host, int port, boolean deflate) {
    WebsocketServerSpec spec = WebsocketServerSpec.builder()
        .maxFramePayloadLength(PeerSupport.MAX_MESSAGE)
        .compress(deflate)
        .build();
    Sinks.Many<WebSocketFrame> published = Sinks.many().multicast().directBestEffort();
    Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
    return HttpServer.create().host(host).port(port)
        .route(routes -> routes
            .ws("/echo", (in, out) ->
                out.sendObject(in.receiveFrames().filter(ReactorNettyPeer::isData)
                    .map(WebSocketFrame::retain)), spec)
            .ws("/reply", (in, out) ->
                out.sendObject(in.receiveFrames()
                    .filter(f -> f instanceof TextWebSocketFrame
                        || f instanceof BinaryWebSocketFrame)
                    .map(PeerSupport::replyTo)), spec)
            .ws("/publish", (in, out) -> in.receiveFrames()
                .filter(ReactorNettyPeer::isData)
                .doOnNext(frame -> published.emitNext(frame, retry))
                .then(), spec)
            .ws("/broadcast", (in, out) ->
                out.sendObject(published.asFlux()
                    .map(WebSocketFrame::retainedDuplicate)
                    .onBackpressureBuffer(4096, BufferOverflowStrategy.DROP_OLDEST)), spec)
            .ws("/stats", (in, out) -> out.sendString(in.receiveFrames()
                .map(frame -> frame instanceof TextWebSocketFrame text ? text.text() : "")
                .concatMap(question -> Mono.fromCallable(() -> PeerSupport.stats(question))
                    .subscribeOn(Schedulers.boundedElastic()))), spec))
        .bindNow();
  }

  private static boolean isData(WebSocketFrame frame) {
    return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
        || frame instanceof ContinuationWebSocketFrame;
  }

  public static void main(String[] args) {
    PeerSupport.Options options = PeerSupport.Options.parse(args, 9002);
    DisposableServer server = start(options.host(), options.port(), options.deflate());
    PeerSupport.announce("Reactor Netty WebSocket", options, server.port());
    server.onDispose().block();
  }
}

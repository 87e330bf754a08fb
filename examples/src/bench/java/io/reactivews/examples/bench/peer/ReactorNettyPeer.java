package io.reactivews.examples.bench.peer;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The comparison peer: the bench server's routes ({@code /echo}, {@code /publish}, {@code
 * /broadcast}, {@code /stats}) written the way a Reactor Netty user writes them, on its own
 * WebSocket support. Frames are echoed as they come (a message sent whole comes back whole), up
 * to 16 MiB; broadcast goes through one multicast sink, each session taking a duplicate of the
 * frame.
 *
 * <pre>
 * java -cp "$(cat examples/target/bench.classpath):examples/target/test-classes" \
 *     io.reactivews.examples.bench.peer.ReactorNettyPeer --port 9002
 * </pre>
 */
public final class ReactorNettyPeer {

  private ReactorNettyPeer() {}

  static DisposableServer start(String host, int port) {
    WebsocketServerSpec spec = WebsocketServerSpec.builder()
        .maxFramePayloadLength(16 << 20)
        .build();
    Sinks.Many<WebSocketFrame> published = Sinks.many().multicast().directBestEffort();
    Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
    return HttpServer.create().host(host).port(port)
        .route(routes -> routes
            .ws("/echo", (in, out) ->
                out.sendObject(in.receiveFrames().filter(ReactorNettyPeer::isData)
                    .map(WebSocketFrame::retain)), spec)
            .ws("/publish", (in, out) -> in.receiveFrames()
                .filter(ReactorNettyPeer::isData)
                .doOnNext(frame -> published.emitNext(frame, retry))
                .then(), spec)
            .ws("/broadcast", (in, out) ->
                out.sendObject(published.asFlux().map(WebSocketFrame::retainedDuplicate)), spec)
            .ws("/stats", (in, out) -> out.sendString(in.receiveFrames()
                .concatMap(frame -> Mono.fromCallable(ReactorNettyPeer::stats)
                    .subscribeOn(Schedulers.boundedElastic()))), spec))
        .bindNow();
  }

  private static boolean isData(WebSocketFrame frame) {
    return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
        || frame instanceof ContinuationWebSocketFrame;
  }

  static String stats() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return "pid=" + ProcessHandle.current().pid() + " heap=" + heap;
  }

  public static void main(String[] args) throws InterruptedException {
    String host = "127.0.0.1";
    int port = 9002;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    DisposableServer server = start(host, port);
    System.out.println("bench server (Reactor Netty WebSocket) on ws://" + host + ":"
        + server.port() + " pid " + ProcessHandle.current().pid());
    server.onDispose().block();
  }
}

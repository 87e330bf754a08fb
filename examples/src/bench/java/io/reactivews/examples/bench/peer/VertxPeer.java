package io.reactivews.examples.bench.peer;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bench server's routes on Vert.x 5 core, written the way a Vert.x user writes them: one
 * {@code HttpServer} with a {@code webSocketHandler} that looks at the path.
 *
 * <ul>
 *   <li>{@code /echo}: a frame handler writes each data frame back as it comes;
 *   <li>{@code /reply}: message handlers answer each binary message with a copy of its bytes
 *       and each text message with its String;
 *   <li>{@code /publish}: each binary message is written to every {@code /broadcast} socket, in
 *       a loop over a set of them; a socket whose write queue is full is skipped, as a Vert.x
 *       user guards a loop against a slow reader;
 *   <li>{@code /stats}: any message is answered with {@link PeerSupport#stats(String)},
 *       computed in {@code executeBlocking} (it runs a GC).
 * </ul>
 *
 * <p>permessage-deflate is agreed only with {@code --deflate}, then as Vert.x agrees it by
 * default: keeping context, so each socket compresses what the loop writes to it.
 *
 * <p>Frames and messages up to 16 MiB. One event loop on the epoll transport: Vert.x's defaults
 * are two loops per core on NIO; every peer of the benchmark runs one I/O loop on epoll, which is
 * what one core can serve and what Reactor Netty (ours too) picks by itself.
 *
 * <pre>
 * java -cp "$(cat examples/target/bench.classpath):examples/target/test-classes" \
 *     io.reactivews.examples.bench.peer.VertxPeer --port 9004
 * </pre>
 */
public final class VertxPeer {

  private VertxPeer() {}

  /** One event loop, on epoll where the native transport loads. */
  static Vertx vertx() {
    return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
  }

  static HttpServer start(Vertx vertx, String host, int port, boolean deflate)
      throws Exception {
    Set<ServerWebSocket> viewers = ConcurrentHashMap.newKeySet();
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
        .setMaxWebSocketFrameSize(PeerSupport.MAX_MESSAGE)
        .setMaxWebSocketMessageSize(PeerSupport.MAX_MESSAGE)
        .setPerMessageWebSocketCompressionSupported(deflate);
    return vertx.createHttpServer(options)
        .webSocketHandler(ws -> {
          switch (ws.path()) {
            case "/echo" -> ws.frameHandler(frame -> {
              if (isData(frame)) {
                ws.writeFrame(frame);
              }
            });
            case "/reply" -> {
              ws.binaryMessageHandler(message ->
                  ws.writeBinaryMessage(Buffer.buffer(message.getBytes())));
              ws.textMessageHandler(ws::writeTextMessage);
            }
            case "/publish" -> ws.binaryMessageHandler(message -> publish(viewers, message));
            case "/broadcast" -> {
              viewers.add(ws);
              ws.closeHandler(ignored -> viewers.remove(ws));
            }
            case "/stats" -> ws.textMessageHandler(text ->
                vertx.executeBlocking(() -> PeerSupport.stats(text))
                    .onSuccess(ws::writeTextMessage));
            default -> ws.close();
          }
        })
        .listen()
        .toCompletionStage().toCompletableFuture().get();
  }

  private static boolean isData(WebSocketFrame frame) {
    return frame.isText() || frame.isBinary() || frame.isContinuation();
  }

  private static void publish(Set<ServerWebSocket> viewers, Buffer message) {
    for (ServerWebSocket viewer : viewers) {
      if (!viewer.writeQueueFull()) {
        viewer.writeBinaryMessage(message);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    PeerSupport.Options options = PeerSupport.Options.parse(args, 9004);
    Vertx vertx = vertx();
    HttpServer server = start(vertx, options.host(), options.port(), options.deflate());
    PeerSupport.announce("Vert.x, " + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO"),
        options, server.actualPort());
    Thread.currentThread().join();
  }
}

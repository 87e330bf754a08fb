package io.reactivews.examples.echo;

import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.Args;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.time.Duration;

/**
 * Echoes every text and binary message on any path, as the Autobahn|Testsuite expects of a
 * server under test; also the benchmarks' target. Messages up to 16 MiB.
 */
public final class EchoServer {

  private EchoServer() {}

  /** Starts an echo server; the caller stops it. */
  public static BoundServer start(String host, int port) {
    return WebSocketServer.create().host(host).port(port)
        .options(SessionOptions.defaults().maxMessageSize(16 << 20))
        .route(Route.prefix("/", session -> session.send(session.receive())))
        .bindNow();
  }

  public static void main(String[] argv) throws InterruptedException {
    Args args = Args.parse(argv);
    if (args.has("help")) {
      System.out.println("usage: echo [--host 127.0.0.1] [--port 9001]\n"
          + "Echoes every message on every path (16 MiB limit).");
      return;
    }
    BoundServer server = start(args.get("host", "127.0.0.1"), args.getInt("port", 9001));
    System.out.println("echo server on ws://" + args.get("host", "127.0.0.1") + ":"
        + server.port() + "/");
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> server.shutdown(Duration.ofSeconds(2)).block()));
    Thread.currentThread().join();
  }
}

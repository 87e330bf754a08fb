package io.reactivews.examples.echo;

import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.examples.ServerProgram;
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
    return start(host, port, PrometheusMetrics.off());
  }

  /** Starts an echo server, with meters if {@code metrics} is on; the caller stops it. */
  public static BoundServer start(String host, int port, PrometheusMetrics metrics) {
    return metrics.apply(WebSocketServer.create().host(host).port(port)
        .options(SessionOptions.defaults().maxMessageSize(16 << 20))
        .route(Route.prefix("/", session -> session.send(session.receive()))))
        .bindNow();
  }

  public static void main(String[] argv) throws Exception {
    ServerProgram.run(argv, "usage: echo [--host 127.0.0.1] [--port 9001] [--metrics]\n"
        + "Echoes every message on every path (16 MiB limit).\n" + PrometheusMetrics.USAGE, 9001,
        (args, host, port) -> {
          PrometheusMetrics metrics = PrometheusMetrics.option(args);
          BoundServer server = start(host, port, metrics);
          return new ServerProgram.Running("echo server on ws://" + host + ":" + server.port()
              + "/" + metrics.banner(host, server.port()),
              () -> server.shutdown(Duration.ofSeconds(2)).block());
        });
  }
}

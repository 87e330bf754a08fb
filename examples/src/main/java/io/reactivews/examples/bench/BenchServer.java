package io.reactivews.examples.bench;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.Args;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Our server under load, with the routes every bench server offers (the Reactor Netty peer has
 * the same ones):
 *
 * <ul>
 *   <li>{@code /echo}: echoes every message, up to 16 MiB;
 *   <li>{@code /publish}: every message received is broadcast to...
 *   <li>{@code /broadcast}: ...every session here, through one {@link Broadcast} (encoded once,
 *       each session at its own pace, the oldest dropped past 1,024 queued);
 *   <li>{@code /stats}: answers any message, after a full GC, with {@code pid=<pid>
 *       heap=<used bytes>}.
 * </ul>
 */
final class BenchServer {

  private BenchServer() {}

  static BoundServer start(String host, int port) {
    return start(host, port, PrometheusMetrics.off());
  }

  /** The bench server, with meters if {@code metrics} is on: what they cost is measured. */
  static BoundServer start(String host, int port, PrometheusMetrics metrics) {
    Sinks.Many<Message> published = Sinks.many().multicast().directBestEffort();
    Broadcast fanOut = metrics.apply(Broadcast.of(published.asFlux()), "bench");
    Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
    return metrics.apply(WebSocketServer.create().host(host).port(port)
        .maxConnections(100_000)
        .options(SessionOptions.defaults().maxMessageSize(16 << 20))
        .route(Route.exact("/echo", session -> session.send(session.receive())))
        .route(Route.exact("/publish", session -> session.receive()
            .doOnNext(message -> published.emitNext(message, retry))
            .then()))
        .route(Route.exact("/broadcast", session ->
            fanOut.subscribe(session, OverflowPolicy.dropOldest(1024)).onEnd()))
        .route(Route.exact("/stats", session -> session.send(session.receive()
            .concatMap(m -> Mono.fromCallable(BenchServer::stats)
                .subscribeOn(Schedulers.boundedElastic()))))))
        .bindNow();
  }

  /** The pid and the heap in use after a full collection, as the load generator reads them. */
  static Message stats() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return Message.text("pid=" + ProcessHandle.current().pid() + " heap=" + heap);
  }

  static void main(Args args) throws InterruptedException {
    String host = args.get("host", "127.0.0.1");
    PrometheusMetrics metrics = PrometheusMetrics.option(args);
    BoundServer server = start(host, args.getInt("port", 9001), metrics);
    System.out.println("bench server (reactive-ws) on ws://" + host + ":" + server.port()
        + " pid " + ProcessHandle.current().pid() + (metrics.isOn() ? " with metrics" : "")
        + metrics.banner(host, server.port()));
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> server.shutdown(Duration.ofSeconds(2)).block()));
    Thread.currentThread().join();
  }
}

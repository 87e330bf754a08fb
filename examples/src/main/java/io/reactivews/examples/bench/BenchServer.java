package io.reactivews.examples.bench;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.Args;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.WebSocketHandler;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.LocalBus;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.server.cluster.redis.RedisBus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import reactor.core.publisher.Flux;
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
 *   <li>with {@code --redis URI}, {@code /publish} publishes to a cluster topic and {@code
 *       /broadcast} fans it out on every node of that Redis (pub/sub mode);
 *   <li>{@code /stats}: answers any message, after a full GC, with {@code pid=<pid>
 *       heap=<used bytes>}.
 * </ul>
 */
final class BenchServer {

  /** The cluster topic that {@code /publish} and {@code /broadcast} share across nodes. */
  static final String TOPIC = "bench";

  private BenchServer() {}

  static BoundServer start(String host, int port) {
    Sinks.Many<Message> published = Sinks.many().multicast().directBestEffort();
    Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
    return start(host, port, published.asFlux(), session -> session.receive()
        .doOnNext(message -> published.emitNext(message, retry))
        .then(), new LocalBus());
  }

  /**
   * A node of a cluster on {@code bus}: {@code /publish} publishes to its topic, in order, and
   * {@code /broadcast} fans the topic out here, so a message published on one node reaches the
   * subscribers of every node.
   */
  static BoundServer start(String host, int port, ClusterBus bus) {
    return start(host, port, bus.subscribe(TOPIC).map(TopicMessage::message),
        // Publishes go out in order without waiting for each other's answer (a pipeline).
        session -> session.receive().flatMapSequential(m -> bus.publish(TOPIC, m), 64).then(),
        bus);
  }

  private static BoundServer start(String host, int port, Flux<Message> source,
      WebSocketHandler publish, ClusterBus bus) {
    Broadcast fanOut = Broadcast.of(source);
    return WebSocketServer.create().host(host).port(port)
        .maxConnections(100_000)
        .cluster(bus)
        .options(SessionOptions.defaults().maxMessageSize(16 << 20))
        .route(Route.exact("/echo", session -> session.send(session.receive())))
        .route(Route.exact("/publish", publish))
        .route(Route.exact("/broadcast", session ->
            fanOut.subscribe(session, OverflowPolicy.dropOldest(1024)).onEnd()))
        .route(Route.exact("/stats", session -> session.send(session.receive()
            .concatMap(m -> Mono.fromCallable(BenchServer::stats)
                .subscribeOn(Schedulers.boundedElastic())))))
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
    String redis = args.get("redis", null);
    BoundServer server = redis == null ? start(host, args.getInt("port", 9001))
        : start(host, args.getInt("port", 9001), RedisBus.spec(redis).connect());
    System.out.println("bench server (reactive-ws" + (redis == null ? "" : ", cluster on " + redis)
        + ") on ws://" + host + ":" + server.port() + " pid " + ProcessHandle.current().pid());
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> server.shutdown(Duration.ofSeconds(2)).block()));
    Thread.currentThread().join();
  }
}

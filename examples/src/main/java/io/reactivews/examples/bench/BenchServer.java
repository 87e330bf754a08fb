package io.reactivews.examples.bench;

import io.reactivews.core.VectorUse;
import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.Args;
import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.Route;
import io.reactivews.server.WebSocketHandler;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.LocalBus;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.server.cluster.redis.RedisBus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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
 *   <li>{@code /reply}: the same answers, through the application: each message read into its
 *       own memory (a byte array, or a String for text) and a new message made from that;
 *   <li>{@code /publish}: every message received is broadcast to...
 *   <li>{@code /broadcast}: ...every session here, through one {@link Broadcast} (encoded once,
 *       each session at its own pace, the oldest dropped past 4,096 queued);
 *   <li>with {@code --redis URI}, {@code /publish} publishes to a cluster topic and {@code
 *       /broadcast} fans it out on every node of that Redis (pub/sub mode);
 *   <li>{@code /stats}: answers any message, after a full GC, with {@code pid=<pid>
 *       heap=<used bytes> rss=<resident bytes> deflate_runs=<compressor runs>
 *       deflate_msgs=<messages sent compressed> utf8_vectors=<true|false>
 *       mask_vectors=<true|false>}, the last two whether long texts are checked and long payloads
 *       unmasked a vector at a time ({@link VectorUse}).
 * </ul>
 *
 * <p>permessage-deflate is on with its defaults (no context takeover); {@code
 * --deflate-context} keeps context instead, to measure what that mode costs.
 */
final class BenchServer {

  /** The cluster topic that {@code /publish} and {@code /broadcast} share across nodes. */
  static final String TOPIC = "bench";

  private BenchServer() {}

  /** The sessions' ping interval: {@code --ping-interval SECONDS}, 0 for none, to measure pings. */
  private static volatile Duration pingInterval = SessionOptions.defaults().pingInterval();

  static BoundServer start(String host, int port) {
    return start(host, port, DeflateOptions.defaults());
  }

  static BoundServer start(String host, int port, DeflateOptions compression) {
    return start(host, port, compression, PrometheusMetrics.off());
  }

  /** A server of its own, with meters if {@code metrics} is on. */
  static BoundServer start(
      String host, int port, DeflateOptions compression, PrometheusMetrics metrics) {
    Sinks.Many<Message> published = Sinks.many().multicast().directBestEffort();
    Sinks.EmitFailureHandler retry = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));
    return start(host, port, compression, metrics, published.asFlux(), session -> session.receive()
        .doOnNext(message -> published.emitNext(message, retry))
        .then(), new LocalBus());
  }

  /**
   * A node of a cluster on {@code bus}: {@code /publish} publishes to its topic, in order, and
   * {@code /broadcast} fans the topic out here, so a message published on one node reaches the
   * subscribers of every node.
   */
  static BoundServer start(String host, int port, DeflateOptions compression,
      PrometheusMetrics metrics, ClusterBus bus) {
    return start(host, port, compression, metrics,
        bus.subscribe(TOPIC).map(TopicMessage::message),
        // Publishes go out in order without waiting for each other's answer (a pipeline).
        session -> session.receive().flatMapSequential(m -> bus.publish(TOPIC, m), 64).then(),
        bus);
  }

  /** What an application that reads a message and answers with a new one sends. */
  static Message reply(Message received) {
    return received.isText() ? Message.text(received.text()) : Message.binary(received.bytes());
  }

  private static BoundServer start(String host, int port, DeflateOptions compression,
      PrometheusMetrics metrics, Flux<Message> source, WebSocketHandler publish, ClusterBus bus) {
    Broadcast fanOut = metrics.apply(Broadcast.of(source), "bench");
    // The server whose compression counters /stats reports: known once it is bound.
    AtomicReference<BoundServer> self = new AtomicReference<>();
    BoundServer bound = metrics.apply(WebSocketServer.create().host(host).port(port)
        .maxConnections(100_000)
        .cluster(bus)
        .options(SessionOptions.defaults().maxMessageSize(16 << 20).compression(compression)
            .pingInterval(pingInterval))
        .route(Route.exact("/echo", session -> session.send(session.receive())))
        .route(Route.exact("/reply", session ->
            session.send(session.receive().map(BenchServer::reply))))
        .route(Route.exact("/publish", publish))
        .route(Route.exact("/broadcast", session ->
            fanOut.subscribe(session, OverflowPolicy.dropOldest(4096)).onEnd()))
        .route(Route.exact("/stats", session -> session.send(session.receive()
            .concatMap(m -> Mono.fromCallable(
                    () -> stats(self.get(), m.text()))
                .subscribeOn(Schedulers.boundedElastic()))))))
        .bindNow();
    self.set(bound);
    return bound;
  }

  /**
   * The pid, the heap in use and the compression counters, as the load generator reads them; the
   * heap after a full collection unless {@code question} asks for the counters alone ({@link
   * MemoryProbe#heapFor}), as a load does while it measures.
   */
  static Message stats(BoundServer server, String question) throws InterruptedException {
    long heap = MemoryProbe.heapFor(question);
    String deflate = server == null ? "" : " deflate_runs="
        + server.compressionStats().compressorRuns() + " deflate_msgs="
        + server.compressionStats().messagesCompressed();
    return Message.text("pid=" + ProcessHandle.current().pid() + " heap=" + heap
        + " rss=" + MemoryProbe.residentBytes() + deflate
        + " utf8_vectors=" + VectorUse.utf8() + " mask_vectors=" + VectorUse.masking());
  }

  static void main(Args args) throws InterruptedException {
    String host = args.get("host", "127.0.0.1");
    DeflateOptions compression = args.has("deflate-context")
        ? DeflateOptions.defaults().contextTakeover(true) : DeflateOptions.defaults();
    PrometheusMetrics metrics = PrometheusMetrics.option(args);
    String redis = args.get("redis", null);
    int port = args.getInt("port", 9001);
    pingInterval = Duration.ofSeconds(args.getInt("ping-interval",
        (int) pingInterval.toSeconds()));
    BoundServer server = redis == null ? start(host, port, compression, metrics)
        : start(host, port, compression, metrics, RedisBus.spec(redis).connect());
    System.out.println("bench server (reactive-ws" + (redis == null ? "" : ", cluster on " + redis)
        + ") on ws://" + host + ":" + server.port() + " pid " + ProcessHandle.current().pid()
        + (metrics.isOn() ? " with metrics" : "") + metrics.banner(host, server.port()));
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> server.shutdown(Duration.ofSeconds(2)).block()));
    Thread.currentThread().join();
  }
}

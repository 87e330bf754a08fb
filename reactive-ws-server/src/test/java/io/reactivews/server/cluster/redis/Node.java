package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.BoundServer;
import io.reactivews.server.Broadcast;
import io.reactivews.server.BroadcastSubscription;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.ServerEvent;
import io.reactivews.server.WebSocketServer;
import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.Resumed;
import io.reactivews.server.cluster.TopicMessage;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One server node of a test cluster: a {@link WebSocketServer} with its own {@link RedisBus},
 * serving topic {@value #TOPIC} live on {@code /live}, from an offset on {@code
 * /resume?offset=...}, and room {@value #ROOM} presence on {@code /room}. Each frame is {@code
 * offset|text} ({@code -} for no offset), or {@code gap}.
 */
final class Node implements AutoCloseable {

  static final String TOPIC = "t";
  static final String ROOM = "room";

  final RedisBus bus;
  final Broadcast live;
  final BoundServer server;
  final Map<String, BroadcastSubscription> viewers = new ConcurrentHashMap<>();
  final List<ClusterEvent> events = new CopyOnWriteArrayList<>();

  private Node(RedisBusSpec spec, OverflowPolicy policy) {
    bus = spec.connect();
    live = Broadcast.of(bus.subscribe(TOPIC).map(Node::render));
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .cluster(bus)
        .options(SessionOptions.defaults().pingInterval(Duration.ZERO))
        .route("/live", s -> watch(s.handshake().queryParameter("who"), live.subscribe(s, policy)))
        .route("/resume", s -> watch(s.handshake().queryParameter("who"),
            Resumed.subscribe(bus, TOPIC, s.handshake().queryParameter("offset"), Node::render,
                s, policy)))
        .route("/room", s -> bus.presence().join(ROOM, s.id()).then(s.receive().then()))
        .bindNow();
    server.events().subscribe(e -> {
      if (e instanceof ServerEvent.Cluster c) {
        events.add(c.event());
      }
    });
  }

  static Node start(RedisBusSpec spec, OverflowPolicy policy) {
    return new Node(spec, policy);
  }

  static Node start(RedisBusSpec spec) {
    return start(spec, OverflowPolicy.dropOldest(100_000).maxBytes(64L << 20));
  }

  /** A fast spec: 100 ms heartbeats, a silent node forgotten after 600 ms. */
  static RedisBusSpec spec(RedisProcess redis) {
    return RedisBus.spec(redis.uri())
        .heartbeat(Duration.ofMillis(100), Duration.ofMillis(600))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300));
  }

  private Mono<Void> watch(String who, BroadcastSubscription subscription) {
    if (who != null) {
      viewers.put(who, subscription);
    }
    return subscription.onEnd();
  }

  static Message render(TopicMessage m) {
    if (m.isGap()) {
      return Message.text("gap");
    }
    return Message.text((m.offset() == null ? "-" : m.offset()) + "|" + m.message().text());
  }

  /** Waits until the bus is connected and, in streams mode, reads the topic. */
  Node awaitUp() {
    await(bus::isConnected, () -> bus + " connected");
    if (bus.mode() == io.reactivews.server.cluster.DeliveryMode.STREAMS) {
      bus.positioned(TOPIC).block(Duration.ofSeconds(10));
    }
    return this;
  }

  /** Publishes {@code count} messages {@code prefix-0..}, one after another. */
  List<io.reactivews.server.cluster.PublishOutcome> publish(String prefix, int from, int count) {
    return publish(prefix, from, count, "");
  }

  /** Publishes {@code count} messages {@code prefix-N} followed by {@code pad}. */
  List<io.reactivews.server.cluster.PublishOutcome> publish(String prefix, int from, int count,
      String pad) {
    return Flux.range(from, count)
        .concatMap(i -> bus.publish(TOPIC, Message.text(prefix + "-" + i + pad)))
        .collectList()
        .block(Duration.ofSeconds(30));
  }

  boolean sawEvent(Class<? extends ClusterEvent> type) {
    return events.stream().anyMatch(type::isInstance);
  }

  /** Stops as a killed process would: no goodbye, Redis keys left to expire. */
  void kill() {
    bus.abandon();
    server.disposeNow();
    live.dispose();
  }

  @Override
  public void close() {
    server.disposeNow();
    bus.dispose();
    live.dispose();
  }

  static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

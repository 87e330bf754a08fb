package io.reactivews.server.cluster;

import io.reactivews.core.message.Message;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The seam between one server node and the others: topic messages, messages to a session by id,
 * and presence. A server has one bus; {@link LocalBus} (the default) is a cluster of one, {@code
 * io.reactivews.server.cluster.redis.RedisBus} joins nodes through Redis, and another engine can
 * implement this interface.
 *
 * <p>A topic's messages are fanned out on each node by a {@link io.reactivews.server.Broadcast}
 * whose source is {@link #subscribe(String)}: each node encodes a message once for all its
 * viewers, each viewer keeps its own overflow policy.
 *
 * <pre>{@code
 * ClusterBus bus = RedisBus.spec("redis://localhost:6379").connect();
 * Broadcast chat = Broadcast.of(bus.subscribe("chat").map(TopicMessage::message));
 * BoundServer server = WebSocketServer.create()
 *     .cluster(bus)
 *     .route("/chat", session -> Mono.when(
 *         chat.subscribe(session, OverflowPolicy.dropOldest(256)).onEnd(),
 *         session.receive().concatMap(m -> bus.publish("chat", m)).then()))
 *     .bindNow();
 * }</pre>
 *
 * <p>Rules every implementation keeps: nothing is buffered without a bound (a message that cannot
 * be carried is refused, and the outcome says so); delivery to this node's own sessions never
 * waits for the other nodes; state changes are reported on {@link #events()}. Thread-safe.
 */
public interface ClusterBus extends Disposable {

  /** This node's id, unique in the cluster. */
  String nodeId();

  /** How topic messages travel, and so what they guarantee. */
  DeliveryMode mode();

  /**
   * Publishes {@code message} to {@code topic} on every node, when the {@code Mono} is
   * subscribed. Messages of one publisher arrive on every node in the order their {@code Mono}s
   * were subscribed, so a publisher need not wait for one outcome before the next ({@code
   * flatMapSequential} pipelines them). Never waits for viewers; the outcome says whether the
   * other nodes were reached.
   */
  Mono<PublishOutcome> publish(String topic, Message message);

  /**
   * The messages of {@code topic} from now on, from every node, as a hot {@code Flux} that is
   * consumed as fast as it emits (give it to a {@link io.reactivews.server.Broadcast}). A {@link
   * TopicMessage#isGap() gap} says messages may have been lost here (the bus was cut off).
   * The node listens to a topic from the first call on, so call it when the node starts
   * (a {@code Broadcast} made at start does).
   */
  Flux<TopicMessage> subscribe(String topic);

  /**
   * The messages of {@code topic} after {@code offset} (the last one a client saw), then live
   * ones, without gaps or duplicates while the offset is within the retention window; past it,
   * or where the mode keeps no history, a gap comes first. A null offset is "from now".
   */
  Flux<TopicMessage> resume(String topic, String offset);

  /** Sends {@code message} to the session {@code sessionId}, on whichever node holds it. */
  Mono<SendOutcome> sendTo(String sessionId, Message message);

  /** Who is in which room, across the cluster. */
  Presence presence();

  /** Connection state changes and gaps, as they happen; slow subscribers miss some. */
  Flux<ClusterEvent> events();

  /**
   * Called by the server this bus belongs to when it starts: where messages sent to this node's
   * sessions go. A bus serves one server.
   */
  void attach(LocalNode node);

  /** Called by the server when a session opens: it can now be found by id from any node. */
  void sessionOpened(String sessionId);

  /** Called by the server when a session closes: it leaves every room and the directory. */
  void sessionClosed(String sessionId);
}

package io.reactivews.server.cluster;

import io.reactivews.core.message.Message;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A cluster of one node, in process: what a server does when it is given no bus. Topics reach
 * this node's subscribers only, send-to-id finds this node's sessions only, presence counts this
 * node's sessions. It keeps no history, so {@link #resume} from an older offset starts with a
 * gap. Thread-safe.
 *
 * <pre>{@code
 * ClusterBus bus = new LocalBus();
 * Broadcast chat = Broadcast.of(bus.subscribe("chat").map(TopicMessage::message));
 * }</pre>
 */
public final class LocalBus implements ClusterBus {

  private final String nodeId = "local-" + UUID.randomUUID();
  private final LocalTopics topics = new LocalTopics();
  private final LocalPresence presence = new LocalPresence();
  private final AtomicLong sequence = new AtomicLong();
  private volatile LocalNode node;
  private volatile boolean disposed;

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public DeliveryMode mode() {
    return DeliveryMode.LOCAL;
  }

  @Override
  public Mono<PublishOutcome> publish(String topic, Message message) {
    return Mono.fromSupplier(() -> {
      // The offset is only an order: it cannot be resumed from, there is no history.
      topics.emit(new TopicMessage(topic, Long.toString(sequence.incrementAndGet()), nodeId,
          message));
      return PublishOutcome.CLUSTER;
    });
  }

  @Override
  public Flux<TopicMessage> subscribe(String topic) {
    return topics.flux(topic);
  }

  @Override
  public Flux<TopicMessage> resume(String topic, String offset) {
    Flux<TopicMessage> live = topics.flux(topic);
    boolean missed = offset != null && !offset.equals(Long.toString(sequence.get()));
    return missed ? live.startWith(TopicMessage.gap(topic)) : live;
  }

  @Override
  public Mono<SendOutcome> sendTo(String sessionId, Message message) {
    return Mono.fromSupplier(() -> {
      LocalNode local = node;
      if (local == null) {
        return SendOutcome.NOT_FOUND;
      }
      Sinks.EmitResult result = local.deliver(sessionId, message);
      return switch (result) {
        case OK -> SendOutcome.DELIVERED;
        case FAIL_OVERFLOW -> SendOutcome.OVERFLOW;
        default -> SendOutcome.NOT_FOUND;
      };
    });
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public Flux<ClusterEvent> events() {
    return Flux.never();
  }

  @Override
  public void attach(LocalNode node) {
    this.node = node;
  }

  @Override
  public void sessionOpened(String sessionId) {
    // The server's registry already finds it.
  }

  @Override
  public void sessionClosed(String sessionId) {
    presence.removeEverywhere(sessionId);
  }

  @Override
  public void dispose() {
    disposed = true;
    topics.complete();
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }
}

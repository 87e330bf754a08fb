package io.reactivews.server.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The topics a node's subscribers listen to, for bus implementations: one hot sink per topic,
 * nothing buffered (a subscriber without demand misses messages; a {@code Broadcast} always has
 * demand and applies each viewer's policy instead). Emissions from several threads take turns.
 * Thread-safe.
 */
public final class LocalTopics {

  private final Map<String, Sinks.Many<TopicMessage>> sinks = new ConcurrentHashMap<>();

  /** The live messages of {@code topic}. */
  public Flux<TopicMessage> flux(String topic) {
    return sink(topic).asFlux();
  }

  /** Whether anyone here ever listened to {@code topic}. */
  public boolean has(String topic) {
    return sinks.containsKey(topic);
  }

  /** The topics listened to on this node. */
  public Set<String> names() {
    return Set.copyOf(sinks.keySet());
  }

  /** Hands {@code message} to the topic's subscribers on this node, if any. */
  public void emit(TopicMessage message) {
    Sinks.Many<TopicMessage> sink = sinks.get(message.topic());
    if (sink != null) {
      synchronized (sink) {
        sink.tryEmitNext(message);
      }
    }
  }

  /** Completes every topic: the bus is gone. */
  public void complete() {
    for (Sinks.Many<TopicMessage> sink : sinks.values()) {
      synchronized (sink) {
        sink.tryEmitComplete();
      }
    }
  }

  private Sinks.Many<TopicMessage> sink(String topic) {
    return sinks.computeIfAbsent(topic, t -> Sinks.many().multicast().directBestEffort());
  }
}

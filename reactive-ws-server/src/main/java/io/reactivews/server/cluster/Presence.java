package io.reactivews.server.cluster;

import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Sessions per room, across the cluster: "12 viewers". A session leaves every room when it
 * closes; a node that dies without a word drops out within the bus's heartbeat TTL.
 *
 * <pre>{@code
 * bus.presence().join("match-42", session.id()).subscribe();
 * bus.presence().count("match-42").subscribe(n -> ...);
 * }</pre>
 */
public interface Presence {

  Mono<Void> join(String room, String sessionId);

  Mono<Void> leave(String room, String sessionId);

  /** The ids of the sessions in {@code room} on every live node. */
  Mono<Set<String>> members(String room);

  Mono<Long> count(String room);
}

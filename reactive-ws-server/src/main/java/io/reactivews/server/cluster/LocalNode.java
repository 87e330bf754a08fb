package io.reactivews.server.cluster;

import io.reactivews.core.message.Message;
import java.util.Collection;
import reactor.core.publisher.Sinks;

/** What a bus sees of the server it belongs to: its sessions, and a way to reach one. */
public interface LocalNode {

  /** Queues {@code message} on a session of this node: {@code FAIL_TERMINATED} if unknown. */
  Sinks.EmitResult deliver(String sessionId, Message message);

  /** The ids of the open sessions, to say again after the cluster forgot them. */
  Collection<String> sessionIds();

  /** Whether the session {@code sessionId} is open here now. */
  default boolean hasSession(String sessionId) {
    return sessionIds().contains(sessionId);
  }
}

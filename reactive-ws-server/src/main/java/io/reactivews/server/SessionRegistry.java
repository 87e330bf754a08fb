package io.reactivews.server;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.cluster.ClusterBus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The open sessions of one server: count them, look them up, send to one, broadcast to many,
 * close them all. A session joins once its handshake completes and leaves when it closes.
 * Thread-safe; sends never block (they use each session's bounded sink).
 *
 * <pre>{@code
 * registry.broadcast(Message.text(json));                              // everyone
 * registry.broadcast(msg, s -> "/stats".equals(s.handshake().path())); // a filtered set
 * registry.send(id, Message.text("just for you"));
 * }</pre>
 */
public final class SessionRegistry {

  private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
  // Cluster: the bus learns each session's arrival and departure, so other nodes can find it.
  private final ClusterBus bus;

  /** Made by the server it belongs to: {@link BoundServer#registry()}. */
  SessionRegistry(ClusterBus bus) {
    this.bus = bus;
  }

  void add(WebSocketSession session) {
    sessions.put(session.id(), session);
    bus.sessionOpened(session.id());
  }

  void remove(WebSocketSession session) {
    if (sessions.remove(session.id(), session)) {
      bus.sessionClosed(session.id());
    }
  }

  public int count() {
    return sessions.size();
  }

  public Set<String> ids() {
    return Set.copyOf(sessions.keySet());
  }

  public Optional<WebSocketSession> get(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  /** A snapshot of the open sessions. */
  public Collection<WebSocketSession> sessions() {
    return List.copyOf(sessions.values());
  }

  /**
   * Queues {@code message} for one session: {@code OK}, {@code FAIL_OVERFLOW} when it is too
   * slow, {@code FAIL_TERMINATED} when it is closing or unknown.
   */
  public Sinks.EmitResult send(String id, Message message) {
    WebSocketSession session = sessions.get(id);
    return session == null ? Sinks.EmitResult.FAIL_TERMINATED : session.tryEmit(message);
  }

  /** Queues {@code message} for every open session; returns how many accepted it. */
  public int broadcast(Message message) {
    return broadcast(message, s -> true);
  }

  /** Queues {@code message} for the open sessions {@code filter} accepts; returns how many did. */
  public int broadcast(Message message, Predicate<? super WebSocketSession> filter) {
    int accepted = 0;
    for (WebSocketSession session : sessions.values()) {
      if (session.isOpen() && filter.test(session)
          && session.tryEmit(message) == Sinks.EmitResult.OK) {
        accepted++;
      }
    }
    return accepted;
  }

  /**
   * Starts closing every session with {@code status} at once; completes when all are closed.
   * At once: a bounded flatMap would start the next close only as one ends, so behind peers
   * that never answer, most sessions would get no close frame before a shutdown's wait ran out.
   */
  public Mono<Void> closeAll(CloseStatus status) {
    return Mono.defer(() -> Mono.when(sessions.values().stream()
        .map(s -> s.close(status)).toList()));
  }
}

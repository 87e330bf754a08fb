package io.reactivews.client;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.session.ReadyState;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sessions a client opened and that are not closed yet, and its reconnecting handles that
 * still run, shared by the copies of one client spec. A session joins when its handshake
 * completes and leaves when its connection closes. Thread-safe.
 */
final class OpenSessions {

  private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
  private final Set<ReconnectingSession> handles = ConcurrentHashMap.newKeySet();

  void add(WebSocketSession session) {
    sessions.put(session.id(), session);
    session.onClose().subscribe(null, e -> remove(session), () -> remove(session));
  }

  private void remove(WebSocketSession session) {
    sessions.remove(session.id(), session);
  }

  void add(ReconnectingSession handle) {
    handles.add(handle);
    handle.onClose().subscribe(null, e -> handles.remove(handle), () -> handles.remove(handle));
  }

  /** Sessions whose close completed are left out even before their removal callback ran. */
  List<WebSocketSession> snapshot() {
    return sessions.values().stream()
        .filter(session -> session.state() != ReadyState.CLOSED)
        .toList();
  }

  /**
   * Stops the reconnecting handles first, so that they flush their queues and do not reconnect,
   * then closes the sessions left.
   */
  Mono<Void> closeAll(CloseStatus status) {
    return Flux.fromIterable(List.copyOf(handles)).flatMap(h -> h.close(status))
        .thenMany(Flux.defer(() -> Flux.fromIterable(snapshot())).flatMap(s -> s.close(status)))
        .then();
  }
}

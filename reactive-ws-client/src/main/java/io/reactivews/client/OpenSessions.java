package io.reactivews.client;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sessions a client opened and that are not closed yet, shared by the copies of one client
 * spec. A session joins when its handshake completes and leaves when its connection closes.
 * Thread-safe.
 */
final class OpenSessions {

  private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

  void add(WebSocketSession session) {
    sessions.put(session.id(), session);
    session.onClose().subscribe(null, e -> remove(session), () -> remove(session));
  }

  private void remove(WebSocketSession session) {
    sessions.remove(session.id(), session);
  }

  List<WebSocketSession> snapshot() {
    return List.copyOf(sessions.values());
  }

  Mono<Void> closeAll(CloseStatus status) {
    return Flux.fromIterable(snapshot()).flatMap(s -> s.close(status)).then();
  }
}

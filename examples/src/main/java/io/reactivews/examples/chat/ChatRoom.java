package io.reactivews.examples.chat;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Sinks;

/**
 * The people in the chat and how a line reaches them all. A member who cannot keep up (their
 * outbound queue is full) is disconnected with 1008 rather than silently missing lines, so what
 * everyone sees stays the same conversation. Thread-safe.
 */
final class ChatRoom {

  private final Map<String, Member> members = new ConcurrentHashMap<>();

  record Member(WebSocketSession session, String name) {}

  void join(WebSocketSession session, String name) {
    members.put(session.id(), new Member(session, name));
  }

  /** Removes the session; returns its name, or null if it had not joined. */
  String leave(WebSocketSession session) {
    Member member = members.remove(session.id());
    return member == null ? null : member.name();
  }

  String nameOf(WebSocketSession session) {
    Member member = members.get(session.id());
    return member == null ? null : member.name();
  }

  int size() {
    return members.size();
  }

  List<String> names() {
    return members.values().stream().map(Member::name).sorted().toList();
  }

  /** Queues {@code message} for every member. */
  void broadcast(Message message) {
    for (Member member : members.values()) {
      if (member.session().tryEmit(message) == Sinks.EmitResult.FAIL_OVERFLOW) {
        member.session().close(CloseStatus.of(1008, "too slow to follow the chat")).subscribe();
      }
    }
  }
}

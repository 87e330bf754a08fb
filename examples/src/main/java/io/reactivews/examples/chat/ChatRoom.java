package io.reactivews.examples.chat;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import reactor.core.publisher.Sinks;

/**
 * The people in the chat and how a line reaches them all. A member who cannot keep up (their
 * outbound queue is full) is disconnected with 1008 rather than silently missing lines, so what
 * everyone sees stays the same conversation. Thread-safe.
 */
final class ChatRoom {

  private final Map<String, Member> members = new ConcurrentHashMap<>();

  record Member(WebSocketSession session, String name) {}

  /**
   * Adds a member and tells everyone, atomically with other joins and leaves, so every page sees
   * the same order and counts. Returns the members, the newcomer included.
   */
  synchronized List<String> join(
      WebSocketSession session, String name, IntFunction<Message> announcement) {
    members.put(session.id(), new Member(session, name));
    broadcast(announcement.apply(members.size()));
    return names();
  }

  /** Removes the session and, if it had joined, tells everyone who is left. */
  synchronized void leave(
      WebSocketSession session, BiFunction<String, Integer, Message> announcement) {
    Member member = members.remove(session.id());
    if (member != null) {
      broadcast(announcement.apply(member.name(), members.size()));
    }
  }

  String nameOf(WebSocketSession session) {
    Member member = members.get(session.id());
    return member == null ? null : member.name();
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

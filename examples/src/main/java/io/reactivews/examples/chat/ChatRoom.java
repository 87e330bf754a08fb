package io.reactivews.examples.chat;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import reactor.core.publisher.Sinks;

/**
 * The people in the chat and how a line reaches them all: one {@link Broadcast} of the room's
 * lines, encoded once for everyone. A member who is too slow, whose connection took nothing for
 * {@link #GRACE} while lines waited for them (or who has more than {@link #MAX_BYTES} waiting), is
 * disconnected with 1008 rather than silently missing lines, so what everyone sees stays the same
 * conversation. A burst of lines that a member's event loop has not had a turn to write yet is
 * not slowness. Thread-safe.
 */
final class ChatRoom {

  static final Duration GRACE = Duration.ofSeconds(5);
  static final long MAX_BYTES = 4L << 20;
  static final OverflowPolicy POLICY =
      OverflowPolicy.disconnect(CloseStatus.of(1008, "too slow to follow the chat"))
          .grace(GRACE).maxBytes(MAX_BYTES);

  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final Sinks.Many<Message> lines = Sinks.many().multicast().directBestEffort();
  private final Broadcast room = Broadcast.of(lines.asFlux());

  record Member(WebSocketSession session, String name) {}

  /**
   * Adds a member and tells everyone, atomically with other joins and leaves, so every page sees
   * the same order and counts. Returns the members, the newcomer included.
   */
  synchronized List<String> join(
      WebSocketSession session, String name, IntFunction<Message> announcement) {
    members.put(session.id(), new Member(session, name));
    room.subscribe(session, POLICY);
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

  /** Sends {@code message} to every member; serialized, as the room's sink requires. */
  synchronized void broadcast(Message message) {
    lines.tryEmitNext(message);
  }

  /** Counters of the room's broadcast: lines delivered, dropped, members disconnected. */
  Broadcast.Stats stats() {
    return room.stats();
  }
}

package io.reactivews.examples.chat;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.Broadcast;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.Resumed;
import io.reactivews.server.cluster.TopicMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;

/**
 * The people in the chat and how a line reaches them all: the room's lines travel on a cluster
 * topic, and on each node one {@link Broadcast} of the topic encodes a line once for everyone
 * there. A member who is too slow, whose connection took nothing for {@link #GRACE} while lines
 * waited for them (or who has more than {@link #MAX_BYTES} waiting), is disconnected with 1008
 * rather than silently missing lines, so what everyone sees stays the same conversation. A burst
 * of lines that a member's event loop has not had a turn to write yet is not slowness.
 *
 * <p>Who is in the room, on every node, is the bus's presence; a member who comes back with the
 * offset of the last line they saw first gets the lines after it (see {@link ClusterBus#resume}).
 * Thread-safe.
 */
final class ChatRoom {

  static final String TOPIC = "chat";
  static final Duration GRACE = Duration.ofSeconds(5);
  static final long MAX_BYTES = 4L << 20;
  static final OverflowPolicy POLICY =
      OverflowPolicy.disconnect(CloseStatus.of(1008, "too slow to follow the chat"))
          .grace(GRACE).maxBytes(MAX_BYTES);

  private final ClusterBus bus;
  private final Function<TopicMessage, Message> render;
  // The names of this node's members; presence entries are "name#session id".
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Broadcast room;

  ChatRoom(ClusterBus bus, Function<TopicMessage, Message> render) {
    this.bus = bus;
    this.render = render;
    // This node listens to the room from now on, before anyone joins.
    this.room = Broadcast.of(bus.subscribe(TOPIC).map(render));
  }

  /**
   * Adds a member, who gets the room's lines from now on, or those after {@code since} first;
   * tells everyone; answers the members on every node, the newcomer included.
   */
  Mono<List<String>> join(WebSocketSession session, String name, String since,
      IntFunction<Message> announcement) {
    names.put(session.id(), name);
    if (since == null) {
      room.subscribe(session, POLICY);
    } else {
      // A catch-up of one, with the same policy, for as long as the session lasts.
      Resumed.subscribe(bus, TOPIC, since, render, session, POLICY);
    }
    return bus.presence().join(TOPIC, member(name, session))
        .then(members())
        .doOnNext(members -> broadcast(announcement.apply(members.size())));
  }

  /** Removes the session and, if it had joined, tells everyone who is left. */
  void leave(WebSocketSession session, BiFunction<String, Integer, Message> announcement) {
    String name = names.remove(session.id());
    if (name != null) {
      bus.presence().leave(TOPIC, member(name, session))
          .then(members())
          .subscribe(members -> broadcast(announcement.apply(name, members.size())),
              e -> { });
    }
  }

  String nameOf(WebSocketSession session) {
    return names.get(session.id());
  }

  /** Who is in the room on every node; this node's members alone while the cluster is away. */
  Mono<List<String>> members() {
    return bus.presence().members(TOPIC)
        .onErrorResume(e -> Mono.just(Set.copyOf(names.values())))
        .map(members -> members.stream().map(ChatRoom::nameIn).sorted().toList());
  }

  /** Sends {@code message} to every member, on every node. */
  void broadcast(Message message) {
    bus.publish(TOPIC, message).subscribe();
  }

  /** Counters of this node's broadcast: lines delivered, dropped, members disconnected. */
  Broadcast.Stats stats() {
    return room.stats();
  }

  /** A presence entry: the name for the member list, the session id to tell two alices apart. */
  private static String member(String name, WebSocketSession session) {
    return name + "#" + session.id();
  }

  private static String nameIn(String member) {
    int hash = member.lastIndexOf('#');
    return hash < 0 ? member : member.substring(0, hash);
  }
}

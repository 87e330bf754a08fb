package io.reactivews.server.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Rooms of this node's sessions, in memory: the whole answer for a {@link LocalBus}, and what a
 * cluster bus says again after the cluster forgot it (a restarted Redis). Bounded by the open
 * sessions: a closing session leaves every room. Thread-safe.
 */
public final class LocalPresence implements Presence {

  private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();

  @Override
  public Mono<Void> join(String room, String sessionId) {
    return Mono.fromRunnable(() -> add(room, sessionId));
  }

  @Override
  public Mono<Void> leave(String room, String sessionId) {
    return Mono.fromRunnable(() -> remove(room, sessionId));
  }

  @Override
  public Mono<Set<String>> members(String room) {
    return Mono.fromSupplier(() -> Set.copyOf(rooms.getOrDefault(room, Set.of())));
  }

  @Override
  public Mono<Long> count(String room) {
    return Mono.fromSupplier(() -> (long) rooms.getOrDefault(room, Set.of()).size());
  }

  public void add(String room, String sessionId) {
    rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(sessionId);
  }

  public void remove(String room, String sessionId) {
    rooms.computeIfPresent(room, (r, set) -> {
      set.remove(sessionId);
      return set.isEmpty() ? null : set;
    });
  }

  /** Takes {@code sessionId} out of every room; returns the rooms it was in. */
  public Set<String> removeEverywhere(String sessionId) {
    Set<String> left = ConcurrentHashMap.newKeySet();
    for (String room : Set.copyOf(rooms.keySet())) {
      Set<String> members = rooms.get(room);
      if (members != null && members.contains(sessionId)) {
        remove(room, sessionId);
        left.add(room);
      }
    }
    return left;
  }

  /** A snapshot: room to its sessions on this node. */
  public Map<String, Set<String>> snapshot() {
    Map<String, Set<String>> copy = new ConcurrentHashMap<>();
    rooms.forEach((room, members) -> copy.put(room, Set.copyOf(members)));
    return copy;
  }
}

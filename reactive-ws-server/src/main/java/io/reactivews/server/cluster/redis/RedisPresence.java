package io.reactivews.server.cluster.redis;

import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.reactivews.server.cluster.ClusterUnavailableException;
import io.reactivews.server.cluster.LocalPresence;
import io.reactivews.server.cluster.Presence;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Presence in Redis: each node keeps one set per room of its own sessions, which expires with the
 * node's heartbeat TTL, so a node that dies without a word drops out of every room within it.
 * The node's own rooms are also kept in memory ({@link LocalPresence}) to be said again when
 * Redis comes back empty. Thread-safe.
 */
final class RedisPresence implements Presence {

  private final Keys keys;
  private final String nodeId;
  private final long ttlMillis;
  private final Supplier<RedisReactiveCommands<byte[], byte[]>> commands;
  private final LocalPresence local = new LocalPresence();

  RedisPresence(Keys keys, String nodeId, long ttlMillis,
      Supplier<RedisReactiveCommands<byte[], byte[]>> commands) {
    this.keys = keys;
    this.nodeId = nodeId;
    this.ttlMillis = ttlMillis;
    this.commands = commands;
  }

  LocalPresence local() {
    return local;
  }

  /** Joins at once here; in Redis when it answers, else at the next resync. */
  @Override
  public Mono<Void> join(String room, String sessionId) {
    return Mono.defer(() -> {
      local.add(room, sessionId);
      return store(room, Set.of(sessionId)).onErrorResume(e -> Mono.empty());
    });
  }

  @Override
  public Mono<Void> leave(String room, String sessionId) {
    return Mono.defer(() -> {
      local.remove(room, sessionId);
      RedisReactiveCommands<byte[], byte[]> c = commands.get();
      return c == null ? Mono.<Void>empty()
          : c.srem(keys.room(room, nodeId), Keys.bytes(sessionId)).then()
              .onErrorResume(e -> Mono.empty());
    });
  }

  /** The sessions in {@code room} on every node whose heartbeat lives. */
  @Override
  public Mono<Set<String>> members(String room) {
    return Mono.defer(() -> {
      RedisReactiveCommands<byte[], byte[]> c = commands.get();
      if (c == null) {
        return Mono.error(new ClusterUnavailableException("Redis not reached yet", null));
      }
      return c.smembers(keys.nodes())
          .concatMap(node -> c.smembers(keys.room(room, Keys.string(node))))
          .map(Keys::string)
          .collect(HashSet<String>::new, Set::add)
          .<Set<String>>map(Set::copyOf)
          .onErrorMap(e -> new ClusterUnavailableException("presence of " + room, e));
    });
  }

  @Override
  public Mono<Long> count(String room) {
    return members(room).map(s -> (long) s.size());
  }

  /** The session left every room: it closed. */
  Mono<Void> closed(String sessionId) {
    Set<String> rooms = local.removeEverywhere(sessionId);
    RedisReactiveCommands<byte[], byte[]> c = commands.get();
    if (c == null || rooms.isEmpty()) {
      return Mono.empty();
    }
    return Flux.fromIterable(rooms)
        .concatMap(room -> c.srem(keys.room(room, nodeId), Keys.bytes(sessionId)))
        .then()
        .onErrorResume(e -> Mono.empty());
  }

  /** Keeps this node's rooms alive for another TTL. */
  Mono<Void> refresh(RedisReactiveCommands<byte[], byte[]> c) {
    return Flux.fromIterable(local.snapshot().keySet())
        .concatMap(room -> c.pexpire(keys.room(room, nodeId), ttlMillis))
        .then();
  }

  /** Says every room of this node again (Redis may have restarted empty). */
  Mono<Void> resync() {
    return Flux.fromIterable(local.snapshot().entrySet())
        .concatMap(e -> store(e.getKey(), e.getValue()))
        .then();
  }

  private Mono<Void> store(String room, Set<String> sessionIds) {
    RedisReactiveCommands<byte[], byte[]> c = commands.get();
    if (c == null || sessionIds.isEmpty()) {
      return Mono.empty();
    }
    byte[] key = keys.room(room, nodeId);
    byte[][] members = sessionIds.stream().map(Keys::bytes).toArray(byte[][]::new);
    return c.sadd(key, members).then(c.pexpire(key, ttlMillis)).then();
  }
}

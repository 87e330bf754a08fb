package io.reactivews.server.cluster.redis;

import io.lettuce.core.ScriptOutputType;
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
 * The node's own rooms are also kept in memory ({@link LocalPresence}): when Redis may have lost
 * or kept stale members (a restart, an outage during which sessions left, a set that expired
 * while the node lived), each of its sets is replaced by what memory holds. Thread-safe.
 */
final class RedisPresence implements Presence {

  /** Rooms refreshed or replaced at once: Lettuce pipelines them on one connection. */
  private static final int CONCURRENCY = 64;

  /**
   * Replaces a set in one step: members that left while Redis could not be told go, none that
   * joined meanwhile is missed. ARGV[1] is the TTL; members are added a thousand at a time, below
   * Lua's limit on unpacked arguments.
   */
  private static final String REPLACE = String.join("\n",
      "redis.call('DEL', KEYS[1])",
      "for i = 2, #ARGV, 1000 do",
      "  redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))",
      "end",
      "if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end",
      "return #ARGV - 1");

  private final Keys keys;
  private final String instance;
  private final long ttlMillis;
  private final Supplier<RedisReactiveCommands<byte[], byte[]>> commands;
  private final LocalPresence local = new LocalPresence();

  RedisPresence(Keys keys, String instance, long ttlMillis,
      Supplier<RedisReactiveCommands<byte[], byte[]>> commands) {
    this.keys = keys;
    this.instance = instance;
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
          : c.srem(keys.room(room, instance), Keys.bytes(sessionId)).then()
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
        .concatMap(room -> c.srem(keys.room(room, instance), Keys.bytes(sessionId)))
        .then()
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * Keeps this node's rooms alive for another TTL; a room whose set is gone while the node lives
   * (evicted, or expired in a long pause) is written again.
   */
  Mono<Void> refresh(RedisReactiveCommands<byte[], byte[]> c) {
    return Flux.fromIterable(local.snapshot().keySet())
        .flatMap(room -> c.pexpire(keys.room(room, instance), ttlMillis)
            .flatMap(kept -> kept ? Mono.<Void>empty() : replace(c, room)), CONCURRENCY)
        .then();
  }

  /** Writes every room of this node again as memory holds it now. */
  Mono<Void> resync(RedisReactiveCommands<byte[], byte[]> c) {
    return Flux.fromIterable(local.snapshot().keySet())
        .flatMap(room -> replace(c, room), CONCURRENCY)
        .then();
  }

  /** The room's set in Redis made what memory holds, read when the command is sent. */
  private Mono<Void> replace(RedisReactiveCommands<byte[], byte[]> c, String room) {
    return local.members(room).flatMap(members -> {
      byte[][] args = new byte[members.size() + 1][];
      args[0] = Keys.bytes(Long.toString(ttlMillis));
      int i = 1;
      for (String member : members) {
        args[i++] = Keys.bytes(member);
      }
      return c.<Long>eval(REPLACE, ScriptOutputType.INTEGER,
          new byte[][] {keys.room(room, instance)}, args).then();
    });
  }

  private Mono<Void> store(String room, Set<String> sessionIds) {
    RedisReactiveCommands<byte[], byte[]> c = commands.get();
    if (c == null || sessionIds.isEmpty()) {
      return Mono.empty();
    }
    byte[] key = keys.room(room, instance);
    byte[][] members = sessionIds.stream().map(Keys::bytes).toArray(byte[][]::new);
    return c.sadd(key, members).then(c.pexpire(key, ttlMillis)).then();
  }
}

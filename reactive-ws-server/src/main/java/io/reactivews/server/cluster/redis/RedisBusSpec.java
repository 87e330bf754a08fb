package io.reactivews.server.cluster.redis;

import io.lettuce.core.RedisURI;
import io.reactivews.server.cluster.DeliveryMode;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How a {@link RedisBus} connects and what it keeps: immutable, each setter returns a copy;
 * {@link #connect()} starts a bus on it.
 *
 * <pre>{@code
 * RedisBus bus = RedisBus.spec("redis://redis.internal:6379")
 *     .streams(50_000, Duration.ofMinutes(10))     // resume within 50,000 messages or 10 min
 *     .heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5))
 *     .connect();
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>mode</td><td>{@link DeliveryMode#PUB_SUB}</td></tr>
 *   <tr><td>streams retention</td><td>10,000 messages and 10 minutes per topic (approximate,
 *       as Redis trims whole nodes of a stream)</td></tr>
 *   <tr><td>heartbeat</td><td>every 1 s; a silent node drops out after 5 s</td></tr>
 *   <tr><td>requestQueue</td><td>10,000 commands in flight; beyond, and while Redis is away,
 *       commands are refused at once, never queued</td></tr>
 *   <tr><td>reconnect backoff</td><td>100 ms doubling to 5 s</td></tr>
 *   <tr><td>resumeBacklog</td><td>10,000 live messages held per resuming client while its
 *       history is read; beyond, it gets a gap</td></tr>
 *   <tr><td>keyPrefix</td><td>{@code rws}</td></tr>
 *   <tr><td>nodeId</td><td>a random UUID</td></tr>
 * </table>
 */
public final class RedisBusSpec {

  final String uri;
  /** {@link #uri} parsed, once: never changed once made. */
  final RedisURI redisUri;
  DeliveryMode mode = DeliveryMode.PUB_SUB;
  long maxLength = 10_000;
  Duration maxAge = Duration.ofMinutes(10);
  Duration heartbeat = Duration.ofSeconds(1);
  Duration nodeTtl = Duration.ofSeconds(5);
  int requestQueue = 10_000;
  Duration minBackoff = Duration.ofMillis(100);
  Duration maxBackoff = Duration.ofSeconds(5);
  int resumeBacklog = 10_000;
  Duration readBlock = Duration.ofMillis(500);
  int readCount = 512;
  String keyPrefix = "rws";
  String nodeId = UUID.randomUUID().toString();

  RedisBusSpec(String uri) {
    this(uri, parse(uri));
  }

  private RedisBusSpec(String uri, RedisURI parsed) {
    this.uri = uri;
    this.redisUri = parsed;
  }

  private static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      // Here, not at connect(), where threads already started would be left running. The URI
      // is blanked out of Lettuce's message (and the cause dropped): it may carry a password.
      String why = String.valueOf(e.getMessage());
      if (!uri.isEmpty()) {
        why = why.replace(uri, "<uri>");
      }
      throw new IllegalArgumentException("not a Redis URI: " + why);
    }
  }

  /** Topics over Redis pub/sub: at most once, nothing kept. */
  public RedisBusSpec pubSub() {
    return with(s -> s.mode = DeliveryMode.PUB_SUB);
  }

  /**
   * Topics over Redis Streams, each keeping about its last {@code maxLength} messages and none
   * older than {@code maxAge}: offsets, and resume within that window.
   */
  public RedisBusSpec streams(long maxLength, Duration maxAge) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
    }
    positive(maxAge, "maxAge");
    return with(s -> {
      s.mode = DeliveryMode.STREAMS;
      s.maxLength = maxLength;
      s.maxAge = maxAge;
    });
  }

  /** How often this node says it is alive, and how long others wait before they forget it. */
  public RedisBusSpec heartbeat(Duration interval, Duration ttl) {
    positive(interval, "interval");
    positive(ttl, "ttl");
    if (ttl.compareTo(interval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("ttl must be at least two intervals: " + ttl);
    }
    return with(s -> {
      s.heartbeat = interval;
      s.nodeTtl = ttl;
    });
  }

  /** Most commands waiting for Redis; beyond, commands are refused. */
  public RedisBusSpec requestQueue(int commands) {
    if (commands < 1) {
      throw new IllegalArgumentException("requestQueue must be positive: " + commands);
    }
    return with(s -> s.requestQueue = commands);
  }

  /**
   * Waits between attempts to reach Redis, doubling from {@code min} up to {@code max}; the same
   * wait every time when they are equal.
   */
  public RedisBusSpec reconnectBackoff(Duration min, Duration max) {
    positive(min, "min");
    positive(max, "max");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max must be at least min: " + max + " < " + min);
    }
    return with(s -> {
      s.minBackoff = min;
      s.maxBackoff = max;
    });
  }

  /** Live messages held for one resuming client while its history is read. */
  public RedisBusSpec resumeBacklog(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("resumeBacklog must be positive: " + messages);
    }
    return with(s -> s.resumeBacklog = messages);
  }

  /** The prefix of every key and channel, so that several clusters can share a Redis. */
  public RedisBusSpec keyPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return with(s -> s.keyPrefix = prefix);
  }

  /**
   * This node's id, as events and topic messages name it: give each node its own (a host name
   * is fine). A node restarted under the same id starts clean: what Redis kept for the process
   * before it is that process's, and expires with it.
   */
  public RedisBusSpec nodeId(String id) {
    Objects.requireNonNull(id, "id");
    return with(s -> s.nodeId = id);
  }

  /** Starts a bus; it connects in the background and keeps trying while Redis is away. */
  public RedisBus connect() {
    return new RedisBus(copy());
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  private RedisBusSpec copy() {
    RedisBusSpec c = new RedisBusSpec(uri, redisUri);
    c.mode = mode;
    c.maxLength = maxLength;
    c.maxAge = maxAge;
    c.heartbeat = heartbeat;
    c.nodeTtl = nodeTtl;
    c.requestQueue = requestQueue;
    c.minBackoff = minBackoff;
    c.maxBackoff = maxBackoff;
    c.resumeBacklog = resumeBacklog;
    c.readBlock = readBlock;
    c.readCount = readCount;
    c.keyPrefix = keyPrefix;
    c.nodeId = nodeId;
    return c;
  }

  private RedisBusSpec with(Consumer<RedisBusSpec> change) {
    RedisBusSpec next = copy();
    change.accept(next);
    return next;
  }
}

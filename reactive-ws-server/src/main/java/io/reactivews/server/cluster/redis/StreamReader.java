package io.reactivews.server.cluster.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.reactivews.server.cluster.LocalTopics;
import io.reactivews.server.cluster.TopicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Reads this node's topics from their Redis streams, one {@code XREAD BLOCK} at a time on a
 * connection of its own, and hands each entry to the local subscribers with its offset. It asks
 * for the next batch only when the last one was handed over, so at most one batch ({@code
 * COUNT}) is held. Each topic is read from where this node started listening to it; after a
 * failure it goes on from the last entry read, and reports a gap if that entry is gone (trimmed
 * while away, or Redis restarted without its data).
 *
 * <p>Thread-safe: one read loop; positions are read by {@code resume}.
 */
final class StreamReader implements Disposable {

  private final RedisBusSpec spec;
  private final Keys keys;
  private final LocalTopics topics;
  private final Supplier<RedisReactiveCommands<byte[], byte[]>> connection;
  private final Consumer<String> onGap;
  private final Map<String, StreamId> positions = new ConcurrentHashMap<>();
  private final Map<String, Sinks.Empty<Void>> positioned = new ConcurrentHashMap<>();
  private volatile boolean checkGaps;
  private final Disposable loop;

  StreamReader(RedisBusSpec spec, Keys keys, LocalTopics topics,
      Supplier<RedisReactiveCommands<byte[], byte[]>> connection, Consumer<String> onGap) {
    this.spec = spec;
    this.keys = keys;
    this.topics = topics;
    this.connection = connection;
    this.onGap = onGap;
    this.loop = Mono.defer(this::readOnce)
        .repeat()
        .doOnError(e -> checkGaps = true)
        .retryWhen(Retry.backoff(Long.MAX_VALUE, spec.minBackoff).maxBackoff(spec.maxBackoff)
            .transientErrors(true))
        .subscribe();
  }

  /**
   * Starts reading {@code topic} from now: its newest entry is asked for at once, on the
   * connection that publishes, so a message this node publishes after subscribing is read back.
   * No connection yet: the first resync starts it. Redis away: the read loop asks when it can.
   */
  void track(String topic, RedisReactiveCommands<byte[], byte[]> commands) {
    if (commands != null && !positions.containsKey(topic)) {
      start(commands, topic).subscribe(null, e -> { });
    }
  }

  /** Starts every topic not started yet; the bus does so before it says it is up. */
  Mono<Void> startAll(RedisReactiveCommands<byte[], byte[]> commands) {
    return startNewTopics(commands);
  }

  /** Completes once {@code topic} has a starting point, so a resume can read up to it. */
  Mono<Void> positioned(String topic) {
    return positioned.computeIfAbsent(topic, t -> Sinks.empty()).asMono();
  }

  private Mono<Integer> readOnce() {
    RedisReactiveCommands<byte[], byte[]> c = connection.get();
    if (c == null) {
      // Not connected yet: wait a little, without backing off further and further.
      return Mono.delay(spec.minBackoff).thenReturn(0);
    }
    return startNewTopics(c)
        .then(Mono.defer(() -> checkGaps ? findGaps(c) : Mono.empty()))
        .then(Mono.defer(() -> read(c)));
  }

  /** A topic starts after the newest entry at the time this node first reads it. */
  private Mono<Void> startNewTopics(RedisReactiveCommands<byte[], byte[]> c) {
    List<String> fresh = new ArrayList<>();
    for (String topic : topics.names()) {
      if (!positions.containsKey(topic)) {
        fresh.add(topic);
      }
    }
    return Flux.fromIterable(fresh).concatMap(topic -> start(c, topic)).then();
  }

  private Mono<StreamId> start(RedisReactiveCommands<byte[], byte[]> c, String topic) {
    return c.xrevrange(keys.stream(topic), Range.unbounded(), Limit.create(0, 1))
        .next()
        .map(m -> StreamId.parse(m.getId()))
        .defaultIfEmpty(StreamId.ZERO)
        .doOnNext(id -> {
          positions.putIfAbsent(topic, id);
          positioned.computeIfAbsent(topic, t -> Sinks.empty()).tryEmitEmpty();
        });
  }

  private Mono<Void> findGaps(RedisReactiveCommands<byte[], byte[]> c) {
    return Flux.fromIterable(Map.copyOf(positions).entrySet())
        .filter(e -> !e.getValue().equals(StreamId.ZERO))
        .concatMap(e -> c.xrange(keys.stream(e.getKey()),
                Range.create(e.getValue().toString(), e.getValue().toString()))
            .hasElements()
            .doOnNext(present -> {
              if (!present) {
                onGap.accept(e.getKey());
              }
            }))
        .then(Mono.fromRunnable(() -> checkGaps = false));
  }

  @SuppressWarnings("unchecked")
  private Mono<Integer> read(RedisReactiveCommands<byte[], byte[]> c) {
    List<XReadArgs.StreamOffset<byte[]>> offsets = new ArrayList<>();
    positions.forEach((topic, id) ->
        offsets.add(XReadArgs.StreamOffset.from(keys.stream(topic), id.toString())));
    if (offsets.isEmpty()) {
      return Mono.delay(spec.readBlock).thenReturn(0);
    }
    XReadArgs args = XReadArgs.Builder.block(spec.readBlock).count(spec.readCount);
    XReadArgs.StreamOffset<byte[]>[] streams = offsets.toArray(new XReadArgs.StreamOffset[0]);
    Flux<StreamMessage<byte[], byte[]>> entries = c.xread(args, streams);
    return entries
        .doOnNext(this::hand)
        .count()
        .map(Long::intValue);
  }

  private void hand(StreamMessage<byte[], byte[]> entry) {
    String topic = keys.topicOfStream(entry.getStream());
    StreamId id = StreamId.parse(entry.getId());
    positions.put(topic, id);
    TopicMessage message = RedisBus.toTopicMessage(topic, entry);
    if (message != null) {
      topics.emit(message);
    }
  }

  @Override
  public void dispose() {
    loop.dispose();
  }

  @Override
  public boolean isDisposed() {
    return loop.isDisposed();
  }
}

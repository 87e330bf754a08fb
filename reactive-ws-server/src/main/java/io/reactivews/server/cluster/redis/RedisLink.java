package io.reactivews.server.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The bus's three Redis connections (commands, pub/sub, blocking stream reads) and whether they
 * work: up once a heartbeat and a resync succeed, down at the first lost connection or failed
 * heartbeat. It connects in the background with backoff (Redis may be away at start); Lettuce
 * then reconnects by itself, also with backoff.
 *
 * <p>Nothing waits for Redis in memory: commands are refused while a connection is down ({@code
 * REJECT_COMMANDS}, not Lettuce's default of queueing them) and beyond {@code requestQueue}
 * while it is up.
 *
 * <p>Thread-safe: state changes take this object's lock; callbacks run outside it.
 */
final class RedisLink implements Disposable {

  /** What the link calls on the bus. */
  interface Callbacks {
    /** One heartbeat; fails when Redis does not answer. */
    Mono<Void> beat(RedisReactiveCommands<byte[], byte[]> commands);

    /** Says again what Redis may have forgotten; {@code again} after having been up. */
    Mono<Void> resync(boolean again);

    void up();

    void down(String reason);
  }

  private enum State { STARTING, UP, DOWN, DISPOSED }

  private final RedisBusSpec spec;
  private final Callbacks callbacks;
  private final ClientResources resources;
  private final RedisClient client;
  private final Disposable.Composite loops = Disposables.composite();
  private volatile StatefulRedisConnection<byte[], byte[]> commands;
  private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private volatile StatefulRedisConnection<byte[], byte[]> reader;
  private State state = State.STARTING;
  private boolean everUp;

  RedisLink(RedisBusSpec spec, Callbacks callbacks,
      Consumer<StatefulRedisPubSubConnection<byte[], byte[]>> onPubSub) {
    this.spec = spec;
    this.callbacks = callbacks;
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(reconnectDelay(spec))
        .build();
    this.client = RedisClient.create(resources, spec.redisUri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(spec.requestQueue)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
        .timeoutOptions(TimeoutOptions.enabled(spec.readBlock.plusSeconds(5)))
        .build());
    loops.add(resources.eventBus().get()
        .filter(ConnectionDeactivatedEvent.class::isInstance)
        .subscribe(e -> down("connection lost")));
    loops.add(connectAll(onPubSub)
        .retryWhen(Retry.backoff(Long.MAX_VALUE, spec.minBackoff).maxBackoff(spec.maxBackoff)
            .doBeforeRetry(s -> down("unreachable: " + s.failure())))
        .subscribe(ok -> startHeartbeat(), e -> { }));
  }

  /** Lettuce's exponential delay wants a range, so a fixed backoff is its constant one. */
  private static Delay reconnectDelay(RedisBusSpec spec) {
    return spec.maxBackoff.toMillis() > spec.minBackoff.toMillis()
        ? Delay.exponential(spec.minBackoff, spec.maxBackoff, 2, TimeUnit.MILLISECONDS)
        : Delay.constant(spec.minBackoff);
  }

  private Mono<Boolean> connectAll(
      Consumer<StatefulRedisPubSubConnection<byte[], byte[]>> onPubSub) {
    RedisURI uri = spec.redisUri;
    return Mono.defer(() -> {
      closeConnections();
      return Mono.fromCompletionStage(client.connectAsync(ByteArrayCodec.INSTANCE, uri))
          .doOnNext(c -> commands = c)
          .then(Mono.fromCompletionStage(client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri)))
          .doOnNext(c -> {
            onPubSub.accept(c);
            pubsub = c;
          })
          .then(Mono.fromCompletionStage(client.connectAsync(ByteArrayCodec.INSTANCE, uri)))
          .doOnNext(c -> reader = c)
          .thenReturn(true);
    });
  }

  private void startHeartbeat() {
    loops.add(Flux.interval(Duration.ZERO, spec.heartbeat, Schedulers.parallel())
        .onBackpressureDrop()
        .concatMap(tick -> beat(), 1)
        .subscribe());
  }

  /** One heartbeat, and a resync when it is the first to succeed after being down. */
  private Mono<Void> beat() {
    RedisReactiveCommands<byte[], byte[]> c = commands();
    if (c == null) {
      return Mono.empty();
    }
    return callbacks.beat(c)
        .then(Mono.defer(() -> isUp() ? Mono.<Void>empty() : resyncThenUp()))
        .onErrorResume(e -> {
          down("heartbeat failed: " + e.getMessage());
          return Mono.empty();
        });
  }

  private Mono<Void> resyncThenUp() {
    boolean again;
    synchronized (this) {
      again = everUp;
    }
    return callbacks.resync(again).then(Mono.fromRunnable(() -> {
      synchronized (this) {
        if (state == State.DISPOSED || state == State.UP) {
          return;
        }
        state = State.UP;
        everUp = true;
      }
      callbacks.up();
    }));
  }

  void down(String reason) {
    synchronized (this) {
      if (state == State.DOWN || state == State.DISPOSED) {
        return;
      }
      state = State.DOWN;
    }
    callbacks.down(reason);
  }

  synchronized boolean isUp() {
    return state == State.UP;
  }

  /** The commands connection, or null before the first connect. */
  RedisReactiveCommands<byte[], byte[]> commands() {
    StatefulRedisConnection<byte[], byte[]> c = commands;
    return c == null ? null : c.reactive();
  }

  StatefulRedisPubSubConnection<byte[], byte[]> pubsub() {
    return pubsub;
  }

  /** The connection for blocking reads, or null before the first connect. */
  RedisReactiveCommands<byte[], byte[]> reader() {
    StatefulRedisConnection<byte[], byte[]> c = reader;
    return c == null ? null : c.reactive();
  }

  /** Whether {@code dispose()} ran. */
  synchronized boolean isStopped() {
    return state == State.DISPOSED;
  }

  @Override
  public void dispose() {
    synchronized (this) {
      if (state == State.DISPOSED) {
        return;
      }
      state = State.DISPOSED;
    }
    loops.dispose();
    closeConnections();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public boolean isDisposed() {
    return isStopped();
  }

  private void closeConnections() {
    List<AutoCloseable> open = new ArrayList<>(3);
    for (AutoCloseable c : new AutoCloseable[] {commands, pubsub, reader}) {
      if (c != null) {
        open.add(c);
      }
    }
    commands = null;
    pubsub = null;
    reader = null;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a connection that failed: nothing left to do
      }
    }
  }
}

package io.reactivews.server;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.LocalBus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.deflate.CompressionCounters;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.tcp.TcpServer;

/**
 * A running server: its address, its sessions, its events, and the way to stop it.
 *
 * <p>{@link #shutdown(Duration)} is graceful: it stops accepting, closes every session with 1001
 * (going away), waits for their close handshakes up to the timeout, then closes whatever is
 * left. Thread-safe.
 */
public final class BoundServer {

  /**
   * Reads a connection may make in one event-loop turn while its socket has more: Netty's
   * default for TCP. An allocator set by hand reads once per turn unless told otherwise, and each
   * turn ends in a flush, so reading once made one write syscall per read (a 16 KiB echo made
   * four times as many as raw Netty); reading on while bytes wait answers them in one write.
   */
  static final int READS_PER_TURN = 16;

  /**
   * Sizes each read from the last ones, per connection. Stateless, so one serves them all:
   * otherwise each connection would get its own.
   */
  static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator()
      .maxMessagesPerRead(READS_PER_TURN);

  private final DisposableServer server;
  private final SessionRegistry registry;
  private final ServerEvents events;
  private final Set<Connection> connections;
  /**
   * The first shutdown, which every later call waits for, or an empty one after disposeNow; set
   * once stopping began, which the connection handler reads too.
   */
  private final AtomicReference<Mono<Void>> stopped;
  private final CompressionStats compression;
  private final ClusterLink cluster;

  private BoundServer(DisposableServer server, SessionRegistry registry,
      ServerEvents events, Set<Connection> connections, CompressionStats compression,
      ClusterLink cluster, AtomicReference<Mono<Void>> stopped) {
    this.server = server;
    this.stopped = stopped;
    this.compression = compression;
    this.registry = registry;
    this.events = events;
    this.connections = connections;
    this.cluster = cluster;
  }

  /**
   * Deferred: each subscription builds its own server, so a bind retried (a port the last process
   * still holds) does not reuse what the failed attempt disposed, its cluster link among them.
   */
  static Mono<BoundServer> bind(ServerConfig config) {
    return Mono.defer(() -> bindOnce(config));
  }

  private static Mono<BoundServer> bindOnce(ServerConfig config) {
    ServerEvents events = new ServerEvents();
    ClusterBus bus = config.bus != null ? config.bus : new LocalBus();
    SessionRegistry registry = new SessionRegistry(bus);
    ClusterLink cluster = new ClusterLink(bus, config.bus == null, registry, events);
    Set<Connection> connections = ConcurrentHashMap.newKeySet();
    CompressionCounters compression = CompressionCounters.create();
    AtomicReference<Mono<Void>> stopped = new AtomicReference<>();
    ConnectionHandler handler = new ConnectionHandler(config, registry, events, connections,
        compression, () -> stopped.get() != null);
    TcpServer tcp = TcpServer.create().port(config.port)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES)
        .doOnConnection(handler::accepted);
    if (config.host != null) {
      tcp = tcp.host(config.host);
    }
    if (config.sslContext != null) {
      TlsFailureReporter tlsFailures = new TlsFailureReporter(events, handler.metrics());
      tcp = tcp.secure(spec -> spec.sslContext(config.sslContext))
          .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
              .addAfter(NettyPipeline.SslHandler, TlsFailureReporter.NAME, tlsFailures));
    }
    return tcp.bind()
        .map(server ->
            new BoundServer(server, registry, events, connections, compression, cluster,
                stopped))
        .doOnError(e -> cluster.dispose());
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.address()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.address();
  }

  /** The open sessions. */
  public SessionRegistry registry() {
    return registry;
  }

  /** Connections, refusals, closes and failures as they happen; slow subscribers miss some. */
  public Flux<ServerEvent> events() {
    return events.flux();
  }

  /** permessage-deflate counters of every session this server has run, both directions. */
  public CompressionStats compressionStats() {
    return compression;
  }

  /** The cluster bus this server's sessions are reachable through (its own LocalBus if none). */
  public ClusterBus cluster() {
    return cluster.bus();
  }

  /** Whether it still accepts connections. */
  public boolean isListening() {
    return !server.isDisposed();
  }

  /**
   * Stops accepting, closes every session with 1001 and waits up to {@code timeout} for their
   * close handshakes, then closes the rest. Completes when every connection is closed; a second
   * call (an application's stop and a JVM shutdown hook, say) completes with the first.
   */
  public Mono<Void> shutdown(Duration timeout) {
    return Mono.defer(() -> {
      Mono<Void> mine = Mono.defer(() -> stop(timeout)).cache();
      Mono<Void> first = stopped.compareAndExchange(null, mine);
      return first != null ? first : mine;
    });
  }

  private Mono<Void> stop(Duration timeout) {
    server.dispose();
    return registry.closeAll(CloseStatus.GOING_AWAY)
        .timeout(timeout, Mono.empty())
        .then(Mono.defer(this::closeRemaining))
        .then(server.onDispose())
        .doFinally(s -> {
          cluster.dispose();
          events.complete();
        });
  }

  /** Closes everything now, without close handshakes. */
  public void disposeNow() {
    stopped.compareAndSet(null, Mono.empty());
    server.disposeNow(Duration.ofSeconds(5));
    closeRemaining().subscribe();
    cluster.dispose();
    events.complete();
  }

  /** Closes every connection left; completes once they are closed. */
  private Mono<Void> closeRemaining() {
    List<Mono<Void>> closing = new ArrayList<>();
    for (Connection connection : connections) {
      connection.dispose();
      closing.add(connection.onDispose());
    }
    return Mono.when(closing);
  }

  @Override
  public String toString() {
    return "BoundServer[" + server.address() + ", " + registry.count() + " sessions]";
  }
}

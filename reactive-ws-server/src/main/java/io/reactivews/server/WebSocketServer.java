package io.reactivews.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.cluster.ClusterBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * A WebSocket server spec in the style of Reactor Netty's {@code TcpServer}: immutable, each
 * setter returns a copy; {@link #bind()} starts a server on it.
 *
 * <pre>{@code
 * BoundServer server = WebSocketServer.create()
 *     .host("0.0.0.0").port(8550)
 *     .route("/stats", statsHandler)
 *     .route(Route.exact("/chat", chat).subprotocols("chat.v1").page(chatPage))
 *     .origins(OriginPolicy.allow("https://game.example.org"))
 *     .options(SessionOptions.defaults().maxMessageSize(64 << 10))
 *     .bindNow();
 * server.registry().broadcast(Message.text("{\"type\":\"round_start\"}"));
 * server.shutdown(Duration.ofSeconds(5)).block();
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>host, port</td>
 *       <td>all interfaces, a free port (see {@link BoundServer#port()})</td></tr>
 *   <tr><td>options</td><td>{@link SessionOptions#defaults()}</td></tr>
 *   <tr><td>origins</td><td>{@link OriginPolicy#any()}</td></tr>
 *   <tr><td>subprotocols</td><td>none</td></tr>
 *   <tr><td>maxHeadSize / maxHeaderCount</td><td>8 KiB / 100 (431 beyond)</td></tr>
 *   <tr><td>handshakeTimeout</td><td>10 s from accept to 101 (the connection is dropped)</td></tr>
 *   <tr><td>maxConnections</td><td>10,000 (503 beyond)</td></tr>
 *   <tr><td>cluster</td><td>a {@link io.reactivews.server.cluster.LocalBus} of its own</td></tr>
 *   <tr><td>metrics</td><td>none: nothing is recorded and Micrometer is not needed</td></tr>
 * </table>
 */
public final class WebSocketServer {

  private final ServerConfig config;

  private WebSocketServer(ServerConfig config) {
    this.config = config;
  }

  public static WebSocketServer create() {
    return new WebSocketServer(new ServerConfig());
  }

  public WebSocketServer host(String host) {
    Objects.requireNonNull(host, "host");
    return with(c -> c.host = host);
  }

  /** The port; 0 picks a free one. */
  public WebSocketServer port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535: " + port);
    }
    return with(c -> c.port = port);
  }

  /** Adds an exact route. */
  public WebSocketServer route(String path, WebSocketHandler handler) {
    return route(Route.exact(path, handler));
  }

  /** Adds a route; a second route with the same path and kind replaces the first. */
  public WebSocketServer route(Route route) {
    Objects.requireNonNull(route, "route");
    List<Route> routes = new ArrayList<>(config.routes.all());
    routes.removeIf(r -> r.path().equals(route.path()) && r.isPrefix() == route.isPrefix());
    routes.add(route);
    return with(c -> c.routes = new Routes(routes));
  }

  /** Session limits and timers for routes that set none. */
  public WebSocketServer options(SessionOptions options) {
    Objects.requireNonNull(options, "options");
    return with(c -> c.options = options);
  }

  /** Subprotocols for routes that set none, most preferred first. */
  public WebSocketServer subprotocols(String... names) {
    List<String> list = List.of(names);
    return with(c -> c.subprotocols = list);
  }

  public WebSocketServer origins(OriginPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return with(c -> c.origins = policy);
  }

  /** The handshake hook for routes that set none. */
  public WebSocketServer onHandshake(HandshakeHook hook) {
    Objects.requireNonNull(hook, "hook");
    return with(c -> c.hook = hook);
  }

  /** Largest request head in bytes, and most header lines; 431 beyond either. */
  public WebSocketServer maxHead(int bytes, int headers) {
    if (bytes < 256 || headers < 1) {
      throw new IllegalArgumentException("a head needs at least 256 bytes and 1 header");
    }
    return with(c -> {
      c.maxHeadSize = bytes;
      c.maxHeaderCount = headers;
    });
  }

  /** Longest time from accept to the end of the handshake; slower clients are dropped. */
  public WebSocketServer handshakeTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
    }
    return with(c -> c.handshakeTimeout = timeout);
  }

  /** Most connections open at once; more are answered 503 and closed. */
  public WebSocketServer maxConnections(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxConnections must be positive: " + max);
    }
    return with(c -> c.maxConnections = max);
  }

  /** Serves wss:// with this TLS context (see Netty's {@code SslContextBuilder.forServer}). */
  public WebSocketServer secure(SslContext sslContext) {
    Objects.requireNonNull(sslContext, "sslContext");
    return with(c -> c.sslContext = sslContext);
  }

  /**
   * Joins a cluster through {@code bus}: this server's sessions can be found by id from other
   * nodes, leave their rooms when they close, and the bus's state changes appear in {@link
   * BoundServer#events()}. The application owns the bus and disposes it after the server.
   */
  public WebSocketServer cluster(ClusterBus bus) {
    Objects.requireNonNull(bus, "bus");
    return with(c -> c.bus = bus);
  }

  /**
   * Records the server's meters (connections, handshakes, messages, closes... see the README's
   * table) in {@code registry}, which the application owns; the global registry is never used.
   * Micrometer is an optional dependency: a server never given a registry does not load it.
   *
   * <pre>{@code
   * PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
   * WebSocketServer.create().route("/chat", chat).metrics(prometheus).bindNow();
   * }</pre>
   *
   * <p>One registry per bound server: a second server binding the same registry reads its
   * connection gauge from the first. Tell them apart with the registry's common tags.
   */
  public WebSocketServer metrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return with(c -> c.meterRegistry = registry);
  }

  /** Binds and starts serving; the {@code Mono} gives the running server. */
  public Mono<BoundServer> bind() {
    if (config.routes.all().isEmpty()) {
      return Mono.error(new IllegalStateException("a server needs at least one route"));
    }
    return BoundServer.bind(config.copy());
  }

  /** Binds, waiting up to 30 s. */
  public BoundServer bindNow() {
    return bind().block(Duration.ofSeconds(30));
  }

  /** A copy of the settings, for serving connections without a socket (tests). */
  ServerConfig config() {
    return config.copy();
  }

  private WebSocketServer with(Consumer<ServerConfig> change) {
    ServerConfig next = config.copy();
    change.accept(next);
    return new WebSocketServer(next);
  }
}

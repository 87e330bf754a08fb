package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.reactivews.client.metrics.SocketIoMeters;
import io.reactivews.client.ReconnectSpec;
import io.reactivews.client.WebSocketClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A Socket.IO v4 client spec: Socket.IO v5 packets over Engine.IO v4, WebSocket transport only
 * ({@code /socket.io/?EIO=4&transport=websocket}). Immutable: each setter returns a copy and
 * checks its argument. {@link #connect(String, Object)} connects one namespace on a connection
 * of its own; {@link #manager(String)} gives a connection that several namespaces share.
 *
 * <pre>{@code
 * SocketIoClient client = SocketIoClient.create()
 *     .webSocket(WebSocketClient.create().header("X-Match", "42"))
 *     .ackTimeout(Duration.ofSeconds(5))
 *     .offlineBuffer(500);
 *
 * SocketIoSession session = client.connect("http://127.0.0.1:3000/", Map.of("token", t))
 *     .block();
 * session.on("chat", ChatLine.class).subscribe(line -> show(line));
 * session.emitWithAck("join", "room-1").subscribe(reply -> log.info("joined: {}", reply));
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>path</td><td>{@code /socket.io/}</td></tr>
 *   <tr><td>webSocket</td><td>{@link WebSocketClient#create()}</td></tr>
 *   <tr><td>reconnect</td><td>{@link ReconnectSpec#defaultRetry()}: forever, backoff 1 s to
 *       30 s</td></tr>
 *   <tr><td>connectTimeout</td><td>20 s to connect a namespace (and for the open packet)</td></tr>
 *   <tr><td>ackTimeout</td><td>10 s</td></tr>
 *   <tr><td>offlineBuffer</td><td>256 emits per namespace wait while disconnected</td></tr>
 *   <tr><td>objectMapper</td><td>a plain {@link ObjectMapper}</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class SocketIoClient {

  String path = "/socket.io/";
  WebSocketClient webSocket = WebSocketClient.create();
  Retry retry = ReconnectSpec.defaultRetry();
  Duration connectTimeout = Duration.ofSeconds(20);
  Duration ackTimeout = Duration.ofSeconds(10);
  int offlineBuffer = 256;
  boolean refuseWhileDisconnected;
  ObjectMapper mapper = new ObjectMapper();
  /** Null: no meters, and Micrometer is never loaded. */
  SocketIoMeters meters;

  private SocketIoClient() {}

  public static SocketIoClient create() {
    return new SocketIoClient();
  }

  /** The server's Engine.IO path, as its {@code path} option; must start and end with {@code /}. */
  public SocketIoClient path(String enginePath) {
    Objects.requireNonNull(enginePath, "path");
    if (!enginePath.startsWith("/") || !enginePath.endsWith("/") || enginePath.contains("?")) {
      throw new IllegalArgumentException("path must start and end with / : " + enginePath);
    }
    return with(c -> c.path = enginePath);
  }

  /** The WebSocket client to connect with: headers, TLS, proxy, session options. */
  public SocketIoClient webSocket(WebSocketClient client) {
    Objects.requireNonNull(client, "webSocket");
    return with(c -> c.webSocket = client);
  }

  /**
   * When to reconnect after a failed attempt or a lost connection, as for {@link
   * ReconnectSpec#retry(Retry)}; an exhausted retry closes every namespace.
   */
  public SocketIoClient reconnect(Retry policy) {
    Objects.requireNonNull(policy, "reconnect");
    return with(c -> c.retry = policy);
  }

  /** Never reconnects: the first lost connection closes every namespace. */
  public SocketIoClient noReconnect() {
    return reconnect(Retry.max(0));
  }

  /** Longest wait for a namespace to be accepted, from subscription, reconnections included. */
  public SocketIoClient connectTimeout(Duration timeout) {
    Duration checked = positive(timeout, "connectTimeout");
    return with(c -> c.connectTimeout = checked);
  }

  /**
   * Records Socket.IO meters (packets in and out by type, ack round-trip time, ack timeouts) and
   * the WebSocket client's meters in {@code registry}, which the application owns. Micrometer is
   * an optional dependency: a client never given a registry does not load it.
   */
  public SocketIoClient metrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return with(c -> {
      c.meters = new SocketIoMeters(registry);
      c.webSocket = c.webSocket.metrics(registry);
    });
  }

  /** Longest wait for the reply to {@link SocketIoSession#emitWithAck}. */
  public SocketIoClient ackTimeout(Duration timeout) {
    Duration checked = positive(timeout, "ackTimeout");
    return with(c -> c.ackTimeout = checked);
  }

  /** Emits each namespace holds, in order, while disconnected; at least 1. */
  public SocketIoClient offlineBuffer(int emits) {
    if (emits < 1) {
      throw new IllegalArgumentException("offlineBuffer must be positive: " + emits);
    }
    return with(c -> {
      c.offlineBuffer = emits;
      c.refuseWhileDisconnected = false;
    });
  }

  /** Fails emits at once while a namespace is not connected, instead of holding them. */
  public SocketIoClient refuseWhileDisconnected() {
    return with(c -> c.refuseWhileDisconnected = true);
  }

  /** The Jackson mapper that writes emitted arguments and binds received ones. */
  public SocketIoClient objectMapper(ObjectMapper objectMapper) {
    Objects.requireNonNull(objectMapper, "objectMapper");
    return with(c -> c.mapper = objectMapper);
  }

  /**
   * A connection to the server at {@code uri} ({@code http}, {@code https}, {@code ws} or
   * {@code wss}; its path is ignored) that connects once its first namespace is asked for.
   */
  public SocketIoManager manager(String uri) {
    return new SocketIoManager(this, engineUri(parse(uri)));
  }

  /** Connects the namespace that is {@code uri}'s path ({@code /} if none), without auth. */
  public Mono<SocketIoSession> connect(String uri) {
    return connect(uri, null);
  }

  /**
   * Connects the namespace that is {@code uri}'s path ({@code /} if none) on a connection of its
   * own, which closes when the session disconnects; see {@link SocketIoManager#connect(String,
   * Object)}.
   */
  public Mono<SocketIoSession> connect(String uri, Object auth) {
    return Mono.defer(() -> {
      URI parsed = parse(uri);
      String namespace = parsed.getRawPath() == null || parsed.getRawPath().isEmpty()
          ? SocketIoPacket.MAIN : parsed.getRawPath();
      return manager(uri).connect(namespace, auth);
    });
  }

  private URI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + uri, e);
    }
  }

  /** {@code ws[s]://host:port<path>?EIO=4&transport=websocket[&query]}. */
  String engineUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String ws = switch (scheme) {
      case "http", "ws" -> "ws";
      case "https", "wss" -> "wss";
      default -> throw new IllegalArgumentException(
          "a Socket.IO server URI is http, https, ws or wss: " + uri);
    };
    if (uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("no host in " + uri);
    }
    String query = uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery();
    return ws + "://" + uri.getRawAuthority() + path + "?EIO=4&transport=websocket" + query;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  private SocketIoClient with(Consumer<SocketIoClient> change) {
    SocketIoClient next = new SocketIoClient();
    next.path = path;
    next.webSocket = webSocket;
    next.retry = retry;
    next.connectTimeout = connectTimeout;
    next.ackTimeout = ackTimeout;
    next.offlineBuffer = offlineBuffer;
    next.refuseWhileDisconnected = refuseWhileDisconnected;
    next.mapper = mapper;
    next.meters = meters;
    change.accept(next);
    return next;
  }

  @Override
  public String toString() {
    return "SocketIoClient{path=" + path + ", " + webSocket + "}";
  }
}

package io.reactivews.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.reactivews.client.metrics.ClientMetrics;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.handshake.ClientHandshake;
import io.reactivews.core.handshake.HttpHeaders;
import io.reactivews.core.handshake.WebSocketUri;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A WebSocket client spec in the style of Reactor Netty's {@code TcpClient}: immutable, each
 * setter returns a copy and checks its argument; {@link #connect(String)} opens a session with
 * it (RFC 6455 section 4.1: a fresh key per attempt, every frame masked).
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.create()
 *     .header("Authorization", "Bearer " + token)
 *     .subprotocols("v2.chat")
 *     .options(SessionOptions.defaults().pingInterval(Duration.ofSeconds(15)));
 *
 * client.connect("wss://chat.example.org/socket", session ->
 *     session.send(Flux.interval(Duration.ofMillis(100)).map(i -> Message.text(stateJson())))
 *         .and(session.receive().doOnNext(this::onMessage)))
 *     .subscribe();
 *
 * ReconnectingSession live = client.reconnecting("wss://chat.example.org/socket")
 *     .onSession(session -> session.send(Mono.just(Message.text(hello))))
 *     .start();
 * }</pre>
 *
 * <p>Copies made from one {@link #create()} share their list of open sessions: {@link
 * #openSessions()} and {@link #closeAll()} see every session any of them opened.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>headers, subprotocols, origin</td><td>none</td></tr>
 *   <tr><td>options</td><td>{@link SessionOptions#defaults()} (pings every 20 s)</td></tr>
 *   <tr><td>connectTimeout</td><td>10 s for the TCP connect</td></tr>
 *   <tr><td>handshakeTimeout</td><td>10 s from connect to the 101, TLS included</td></tr>
 *   <tr><td>maxResponseHead</td><td>8 KiB, 100 headers</td></tr>
 *   <tr><td>TLS</td><td>the JDK's trusted authorities; certificate must name the host</td></tr>
 *   <tr><td>proxy</td><td>none</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class WebSocketClient {

  /** Checks custom headers in the setter, with the rules a real handshake applies. */
  private static final ClientHandshake PROBE = ClientHandshake.to("ws://header.check/");

  private final ClientConfig config;

  private WebSocketClient(ClientConfig config) {
    this.config = config;
  }

  public static WebSocketClient create() {
    return new WebSocketClient(new ClientConfig());
  }

  /**
   * Adds a header to the upgrade request, such as {@code Authorization}.
   *
   * @throws IllegalArgumentException for headers the handshake sets itself ({@code Upgrade},
   *     {@code Sec-WebSocket-*}, {@code Origin}...) or that are not valid HTTP
   */
  public WebSocketClient header(String name, String value) {
    return headers(config.headers.toBuilder().add(name, value).build());
  }

  /** Replaces the custom headers; checked as {@link #header}. */
  public WebSocketClient headers(HttpHeaders headers) {
    PROBE.headers(Objects.requireNonNull(headers, "headers"));
    return with(c -> c.headers = headers);
  }

  /** Subprotocols to offer, most preferred first; see {@link WebSocketSession#handshake()}. */
  public WebSocketClient subprotocols(String... names) {
    List<String> list = PROBE.subprotocols(names).subprotocols();
    return with(c -> c.subprotocols = list);
  }

  /** The {@code Origin} to send, as a browser page at that origin would; null for none. */
  public WebSocketClient origin(String origin) {
    String checked = PROBE.origin(origin).origin();
    return with(c -> c.origin = checked);
  }

  /** Session limits and timers: message size, outbound queue, pings and dead-peer detection. */
  public WebSocketClient options(SessionOptions options) {
    Objects.requireNonNull(options, "options");
    return with(c -> c.options = options);
  }

  /** Longest wait for the TCP connection to the server (or proxy). */
  public WebSocketClient connectTimeout(Duration timeout) {
    Duration checked = positive(timeout, "connectTimeout");
    return with(c -> c.connectTimeout = checked);
  }

  /** Longest wait from the TCP connection to the 101 response, TLS handshake included. */
  public WebSocketClient handshakeTimeout(Duration timeout) {
    Duration checked = positive(timeout, "handshakeTimeout");
    return with(c -> c.handshakeTimeout = checked);
  }

  /** Largest response head in bytes, and most header lines, accepted from a server. */
  public WebSocketClient maxResponseHead(int bytes, int headers) {
    if (bytes < 256 || headers < 1) {
      throw new IllegalArgumentException("a head needs at least 256 bytes and 1 header");
    }
    return with(c -> {
      c.maxHeadSize = bytes;
      c.maxHeaderCount = headers;
    });
  }

  /**
   * Uses this TLS context for {@code wss://} as it is. Build it with Netty's {@code
   * SslContextBuilder.forClient()}, which checks host names unless told otherwise.
   */
  public WebSocketClient secure(SslContext context) {
    TlsSettings tls = TlsSettings.using(context);
    return with(c -> c.tls = tls);
  }

  /**
   * Trusts the certificates of {@code trustStore} for {@code wss://} instead of the JDK's
   * authorities; host names are still checked.
   */
  public WebSocketClient trustStore(KeyStore trustStore) {
    Objects.requireNonNull(trustStore, "trustStore");
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      return trustManager(factory);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable trust store: " + e.getMessage(), e);
    }
  }

  /** Checks server certificates with {@code factory}; host names are still checked. */
  public WebSocketClient trustManager(TrustManagerFactory factory) {
    TlsSettings tls = TlsSettings.trusting(factory);
    return with(c -> c.tls = tls);
  }

  /**
   * <b>Insecure:</b> accepts any certificate for any host name, so anyone on the path can read
   * and change the traffic. For development against self-signed servers only.
   */
  public WebSocketClient insecureTrustAll() {
    return with(c -> c.tls = TlsSettings.trustingAll());
  }

  /** Connects through this proxy; see {@link ClientProxy}. */
  public WebSocketClient proxy(ClientProxy proxy) {
    Objects.requireNonNull(proxy, "proxy");
    return with(c -> c.proxy = proxy);
  }

  /** Connects directly. */
  public WebSocketClient noProxy() {
    return with(c -> c.proxy = null);
  }

  /**
   * Opens a session. The {@code Mono} is cold: each subscription connects anew. It fails with a
   * {@link io.reactivews.core.handshake.HandshakeException} carrying the status, headers and
   * start of the body when the server does not answer 101 as RFC 6455 requires (status {@value
   * io.reactivews.core.handshake.HandshakeException#NO_STATUS} when it answered no valid HTTP
   * or did not answer in time), and with the network's exception when the connection or TLS
   * fails. An invalid URI fails it with an {@link IllegalArgumentException}.
   */
  public Mono<WebSocketSession> connect(String uri) {
    return Mono.defer(() -> connect(WebSocketUri.parse(uri)));
  }

  public Mono<WebSocketSession> connect(URI uri) {
    return Mono.defer(() -> connect(WebSocketUri.of(uri)));
  }

  public Mono<WebSocketSession> connect(WebSocketUri uri) {
    Objects.requireNonNull(uri, "uri");
    return new ClientConnector(config).connect(uri).cast(WebSocketSession.class);
  }

  /**
   * Opens a session and runs {@code handler} on it: the session closes with 1000 when the
   * handler's publisher completes and with 1011 when it fails. Completes when the session is
   * closed; fails as {@link #connect(String)} when it cannot open.
   */
  public Mono<Void> connect(String uri,
      Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
    Objects.requireNonNull(handler, "handler");
    return Mono.defer(() -> new ClientConnector(config).connect(WebSocketUri.parse(uri)))
        .flatMap(session -> session.run(handler));
  }

  public Mono<Void> connect(URI uri,
      Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
    return connect(uri.toString(), handler);
  }

  /**
   * A long-lived connection to {@code uri} that reconnects when it is lost; configure it, then
   * {@link ReconnectSpec#start()} it.
   */
  public ReconnectSpec reconnecting(String uri) {
    return new ReconnectSpec(new ClientConnector(config.copy()), WebSocketUri.parse(uri));
  }

  public ReconnectSpec reconnecting(URI uri) {
    return new ReconnectSpec(new ClientConnector(config.copy()), WebSocketUri.of(uri));
  }

  /** The sessions opened by this client and its copies that are not closed yet. */
  public List<WebSocketSession> openSessions() {
    return config.sessions.snapshot();
  }

  /** Closes everything this client opened with 1000; see {@link #closeAll(CloseStatus)}. */
  public Mono<Void> closeAll() {
    return closeAll(CloseStatus.NORMAL);
  }

  /**
   * Closes every open session with {@code status}, and stops every running {@link
   * ReconnectingSession} (after it sends what it has queued); completes when all are closed.
   */
  public Mono<Void> closeAll(CloseStatus status) {
    Objects.requireNonNull(status, "status");
    return config.sessions.closeAll(status);
  }

  @Override
  public String toString() {
    return "WebSocketClient{subprotocols=" + config.subprotocols + ", origin=" + config.origin
        + ", " + config.tls + (config.proxy == null ? "" : ", " + config.proxy) + "}";
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /**
   * Records the client's meters (its sessions' messages, bytes, closes..., its handshakes, its
   * reconnecting sessions; see the README's table) in {@code registry}, which the application
   * owns; the global registry is never used. Micrometer is an optional dependency: a client
   * never given a registry does not load it.
   *
   * <pre>{@code
   * WebSocketClient client = WebSocketClient.create().metrics(registry);
   * }</pre>
   */
  public WebSocketClient metrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return with(c -> c.metrics = ClientMetrics.of(registry));
  }

  private WebSocketClient with(Consumer<ClientConfig> change) {
    ClientConfig next = config.copy();
    change.accept(next);
    return new WebSocketClient(next);
  }
}

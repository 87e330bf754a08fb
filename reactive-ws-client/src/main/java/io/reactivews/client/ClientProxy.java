package io.reactivews.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import reactor.netty.tcp.TcpClient;
import reactor.netty.transport.ProxyProvider;

/**
 * A proxy that a client reaches its servers through: HTTP {@code CONNECT} (RFC 9110 section
 * 9.3.6) or SOCKS5 (RFC 1928). The proxy only sees a tunnel; the WebSocket handshake, and TLS
 * for {@code wss://}, run end to end through it, and the target host is resolved by the proxy.
 * Immutable: each setter returns a copy.
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.create()
 *     .proxy(ClientProxy.http("proxy.internal", 3128).credentials("bot", secret));
 * }</pre>
 */
public final class ClientProxy {

  /** The kinds of proxy a client can tunnel through. */
  public enum Type {
    /** An HTTP proxy, asked with {@code CONNECT host:port}. */
    HTTP,
    /** A SOCKS5 proxy. */
    SOCKS5
  }

  private final Type type;
  private final String host;
  private final int port;
  private final String username;
  private final String password;
  private final Duration connectTimeout;
  /** Hosts reached directly, or null: every host goes through the proxy. */
  private final Pattern bypass;

  private ClientProxy(Type type, String host, int port, String username, String password,
      Duration connectTimeout, Pattern bypass) {
    this.type = type;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.connectTimeout = connectTimeout;
    this.bypass = bypass;
  }

  /** An HTTP {@code CONNECT} proxy. */
  public static ClientProxy http(String host, int port) {
    return of(Type.HTTP, host, port);
  }

  /** A SOCKS5 proxy. */
  public static ClientProxy socks5(String host, int port) {
    return of(Type.SOCKS5, host, port);
  }

  private static ClientProxy of(Type type, String host, int port) {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("a proxy needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port must be 1-65535: " + port);
    }
    return new ClientProxy(type, host, port, null, null, Duration.ofSeconds(10), null);
  }

  /** A copy that authenticates: Basic for HTTP, username and password for SOCKS5. */
  public ClientProxy credentials(String newUsername, String newPassword) {
    Objects.requireNonNull(newUsername, "username");
    Objects.requireNonNull(newPassword, "password");
    return new ClientProxy(type, host, port, newUsername, newPassword, connectTimeout, bypass);
  }

  /** A copy that waits at most {@code timeout} for the proxy to open the tunnel. */
  public ClientProxy connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
    }
    return new ClientProxy(type, host, port, username, password, timeout, bypass);
  }

  /**
   * A copy that reaches the hosts {@code regex} matches directly, not through the proxy, such as
   * {@code "localhost|127\\..*|\\[::1\\]"} for a sidecar on this machine: the proxy would
   * otherwise connect to its own loopback. Matched against the whole host as the URI names it.
   *
   * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a regular expression
   */
  public ClientProxy bypass(String regex) {
    Objects.requireNonNull(regex, "regex");
    return new ClientProxy(type, host, port, username, password, connectTimeout,
        Pattern.compile(regex));
  }

  public Type type() {
    return type;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** Routes {@code tcp} through this proxy. */
  TcpClient applyTo(TcpClient tcp) {
    return tcp.proxy(spec -> {
      ProxyProvider.Builder b = spec
          .type(type == Type.HTTP ? ProxyProvider.Proxy.HTTP : ProxyProvider.Proxy.SOCKS5)
          .host(host)
          .port(port)
          .connectTimeoutMillis(connectTimeout.toMillis());
      if (bypass != null) {
        b.nonProxyHostsPredicate(address -> address instanceof InetSocketAddress target
            && bypass.matcher(hostOf(target)).matches());
      }
      if (username != null) {
        String secret = password;
        b.username(username).password(user -> secret);
      }
    });
  }

  /** The host as the URI named it: its name, or its address in the form a URI writes it. */
  private static String hostOf(InetSocketAddress target) {
    String host = target.getHostString();
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return type + " proxy " + host + ":" + port + (username == null ? "" : " as " + username)
        + (bypass == null ? "" : ", not for " + bypass);
  }
}

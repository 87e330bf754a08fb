package io.reactivews.core.handshake;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a client connects: a {@code ws://} or {@code wss://} URI (RFC 6455 section 3), taken
 * apart into what the connection and the request line need. {@code http://} and {@code https://}
 * are accepted as aliases of {@code ws://} and {@code wss://}, as RFC 8441 and browsers do.
 *
 * <pre>{@code
 * WebSocketUri uri = WebSocketUri.parse("wss://[::1]:8443/chat?room=1");
 * uri.host();            // "::1"            what to connect to
 * uri.port();            // 8443
 * uri.hostHeader();      // "[::1]:8443"     what to put in Host
 * uri.requestTarget();   // "/chat?room=1"
 * }</pre>
 *
 * <p>Refused, with an {@link IllegalArgumentException} that says why: other schemes, a fragment
 * (section 3 forbids it), user info (credentials belong in an {@code Authorization} header), a
 * missing host, a port outside 1-65535. Non-ASCII hosts are converted to their ASCII form and
 * non-ASCII path characters percent-encoded. Immutable and thread-safe.
 */
public final class WebSocketUri {

  private final boolean secure;
  private final String host;
  private final int port;
  private final String requestTarget;

  private WebSocketUri(boolean secure, String host, int port, String requestTarget) {
    this.secure = secure;
    this.host = host;
    this.port = port;
    this.requestTarget = requestTarget;
  }

  /**
   * Parses a WebSocket URI.
   *
   * @throws IllegalArgumentException if it is not a valid {@code ws}, {@code wss}, {@code http} or
   *     {@code https} URI with a host and without user info or fragment
   */
  public static WebSocketUri parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return of(new URI(uri));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URI: " + e.getMessage(), e);
    }
  }

  /** Takes apart a {@link URI}; see {@link #parse(String)}. */
  public static WebSocketUri of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure;
    switch (scheme) {
      case "ws", "http" -> secure = false;
      case "wss", "https" -> secure = true;
      default -> throw new IllegalArgumentException(
          "a WebSocket URI must start with ws://, wss://, http:// or https://: " + uri);
    }
    if (uri.isOpaque()) {
      throw new IllegalArgumentException("a WebSocket URI needs // and a host: " + uri);
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a WebSocket URI may not have a fragment (#...): " + uri);
    }
    URI ascii;
    try {
      ascii = new URI(uri.toASCIIString());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URI: " + e.getMessage(), e);
    }
    String authority = ascii.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("a WebSocket URI needs a host: " + uri);
    }
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("a WebSocket URI may not carry user info; "
          + "send credentials in an Authorization header instead");
    }
    int defaultPort = secure ? 443 : 80;
    String host;
    String portText;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed IPv6 literal in " + uri);
      }
      host = authority.substring(1, close);
      if (!host.matches("[0-9A-Fa-f:.]+") || host.indexOf(':') < 0) {
        throw new IllegalArgumentException("not an IPv6 address: [" + host + "]");
      }
      portText = portAfter(authority, close + 1, uri);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      host = hostName(host, uri);
    }
    int port = portText == null || portText.isEmpty() ? defaultPort : port(portText, uri);
    String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty()
        ? "/" : ascii.getRawPath();
    String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
    return new WebSocketUri(secure, host, port, target);
  }

  private static String portAfter(String authority, int at, URI uri) {
    if (at == authority.length()) {
      return null;
    }
    if (authority.charAt(at) != ':') {
      throw new IllegalArgumentException("unexpected text after the IPv6 literal in " + uri);
    }
    return authority.substring(at + 1);
  }

  private static String hostName(String host, URI uri) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("a WebSocket URI needs a host: " + uri);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(decodeHost(host), IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid host name: " + host, e);
    }
    if (!ascii.matches("[A-Za-z0-9._~-]+")) {
      throw new IllegalArgumentException("not a valid host name: " + host);
    }
    return ascii;
  }

  /** Undoes the percent-encoding that {@link URI#toASCIIString()} gave non-ASCII host names. */
  private static String decodeHost(String host) {
    return host.indexOf('%') < 0
        ? host
        : URLDecoder.decode(host.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static int port(String text, URI uri) {
    if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException("port must be 1-65535: " + text + " in " + uri);
    }
    return Integer.parseInt(text);
  }

  /** Whether the connection runs over TLS: {@code wss} or {@code https}. */
  public boolean isSecure() {
    return secure;
  }

  /** {@code ws} or {@code wss}, whichever alias was used. */
  public String scheme() {
    return secure ? "wss" : "ws";
  }

  /** The host to connect to; an IPv6 address comes without brackets. */
  public String host() {
    return host;
  }

  /** The port, 80 or 443 when the URI gives none. */
  public int port() {
    return port;
  }

  /** Whether {@link #port()} is the scheme's default, which the Host header leaves out. */
  public boolean isDefaultPort() {
    return port == (secure ? 443 : 80);
  }

  /** The Host header (RFC 9110 section 7.2): IPv6 in brackets, the port only if not default. */
  public String hostHeader() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return isDefaultPort() ? h : h + ":" + port;
  }

  /** Path and query for the request line: {@code /chat?room=1}; {@code /} when there is no path. */
  public String requestTarget() {
    return requestTarget;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebSocketUri other && other.secure == secure && other.port == port
        && other.host.equalsIgnoreCase(host) && other.requestTarget.equals(requestTarget);
  }

  @Override
  public int hashCode() {
    return Objects.hash(secure, host.toLowerCase(Locale.ROOT), port, requestTarget);
  }

  /** The normalized URI: {@code wss://[::1]:8443/chat?room=1}. */
  @Override
  public String toString() {
    return scheme() + "://" + hostHeader() + requestTarget;
  }
}

package io.reactivews.core.handshake;

import java.util.List;
import java.util.Map;

/**
 * A request that passed {@link ServerHandshake#validate}: a well-formed WebSocket opening
 * handshake (RFC 6455 section 4.2.1), with its parts ready for the application to decide on
 * (route by path, check the origin, pick a subprotocol and extensions) before the server answers
 * with {@link ServerHandshake#accept} or {@link ServerHandshake#reject}. Immutable.
 */
public final class UpgradeRequest {

  private final HttpRequestHead head;
  private final String host;
  private final String origin;
  private final String key;
  private final List<String> subprotocols;
  private final List<WebSocketExtension> extensions;

  UpgradeRequest(HttpRequestHead head, String host, String origin, String key,
      List<String> subprotocols, List<WebSocketExtension> extensions) {
    this.head = head;
    this.host = host;
    this.origin = origin;
    this.key = key;
    this.subprotocols = List.copyOf(subprotocols);
    this.extensions = List.copyOf(extensions);
  }

  /** The request as received. */
  public HttpRequestHead head() {
    return head;
  }

  public HttpHeaders headers() {
    return head.headers();
  }

  /** The path of the target, still percent-encoded; see {@link HttpRequestHead#path()}. */
  public String path() {
    return head.path();
  }

  /** The query, still encoded; null when there is none. */
  public String rawQuery() {
    return head.rawQuery();
  }

  /** The query decoded; see {@link HttpRequestHead#queryParameters()}. */
  public Map<String, List<String>> queryParameters() {
    return head.queryParameters();
  }

  /** The Host header: the name (and port) the client thinks it is talking to. */
  public String host() {
    return host;
  }

  /**
   * The Origin header, sent by browsers (section 4.2.1, item 8), or null. A server that serves
   * browsers should check it: without that, any page can open a socket with its users' cookies.
   */
  public String origin() {
    return origin;
  }

  /** The client's {@code Sec-WebSocket-Key}. */
  public String key() {
    return key;
  }

  /** The subprotocols offered, in the client's order of preference; empty when none. */
  public List<String> subprotocols() {
    return subprotocols;
  }

  /** The extensions offered, in the client's order of preference; empty when none. */
  public List<WebSocketExtension> extensions() {
    return extensions;
  }

  @Override
  public String toString() {
    return "UpgradeRequest{" + head.path() + ", host=" + host + ", origin=" + origin
        + ", subprotocols=" + subprotocols + ", extensions=" + extensions + "}";
  }
}

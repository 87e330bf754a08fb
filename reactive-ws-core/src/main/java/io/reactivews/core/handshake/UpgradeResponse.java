package io.reactivews.core.handshake;

import java.util.List;

/**
 * A {@code 101 Switching Protocols} that passed {@link ClientHandshake#validate}: what the
 * server agreed to (RFC 6455 section 4.2.2). From here on the connection speaks frames, with the
 * extensions listed here applied in their order. Immutable.
 */
public final class UpgradeResponse {

  private final HttpResponseHead head;
  private final String subprotocol;
  private final List<WebSocketExtension> extensions;

  UpgradeResponse(HttpResponseHead head, String subprotocol, List<WebSocketExtension> extensions) {
    this.head = head;
    this.subprotocol = subprotocol;
    this.extensions = List.copyOf(extensions);
  }

  /** The response as received. */
  public HttpResponseHead head() {
    return head;
  }

  public HttpHeaders headers() {
    return head.headers();
  }

  /** The subprotocol the server chose among those offered, or null when it chose none. */
  public String subprotocol() {
    return subprotocol;
  }

  /** The extensions the server accepted, with its parameters, in order; empty when none. */
  public List<WebSocketExtension> extensions() {
    return extensions;
  }

  @Override
  public String toString() {
    return "UpgradeResponse{subprotocol=" + subprotocol + ", extensions=" + extensions + "}";
  }
}

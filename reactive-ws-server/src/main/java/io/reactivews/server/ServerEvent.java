package io.reactivews.server;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.cluster.ClusterEvent;
import java.net.SocketAddress;

/**
 * What happens on a server, for logs and metrics: {@code server.events().subscribe(...)}.
 * Events are dropped for subscribers that fall behind (have no demand). Subscribers are called
 * on the server's threads, one event at a time, so they must not block.
 */
public sealed interface ServerEvent {

  /** A session opened. */
  record Connected(WebSocketSession session) implements ServerEvent {}

  /** A request was answered with an HTTP error instead of an upgrade. */
  record Refused(SocketAddress remoteAddress, String path, int status, String reason)
      implements ServerEvent {}

  /** A session closed, with the status its close handshake settled. */
  record Closed(WebSocketSession session, CloseStatus status) implements ServerEvent {}

  /**
   * A TLS handshake failed, so no HTTP was read: plain text on a TLS port, a client that does not
   * trust the certificate, no common protocol version or cipher.
   */
  record TlsFailed(SocketAddress remoteAddress, Throwable cause) implements ServerEvent {}

  /** Something failed outside any handler's reach (the session, if any, may be null). */
  record Failed(WebSocketSession session, Throwable error) implements ServerEvent {}

  /** The cluster bus changed state: up, down (local delivery goes on), or a gap on a topic. */
  record Cluster(ClusterEvent event) implements ServerEvent {}
}

package io.reactivews.server;

import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.handshake.HttpHeaders;
import io.reactivews.core.handshake.UpgradeRequest;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * What a {@link HandshakeHook} sees of an upgrade request before the session exists, and how it
 * answers: accept (complete), refuse with a status, or attach attributes the session will carry.
 */
public final class HandshakeContext {

  private final UpgradeRequest request;
  private final SocketAddress remoteAddress;
  private final String subprotocol;
  private Map<String, Object> attributes;

  HandshakeContext(UpgradeRequest request, SocketAddress remoteAddress, String subprotocol) {
    this.request = request;
    this.remoteAddress = remoteAddress;
    this.subprotocol = subprotocol;
  }

  public UpgradeRequest request() {
    return request;
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  public String path() {
    return request.path();
  }

  /** The first value of a query parameter, or {@code null}. */
  public String queryParameter(String name) {
    var values = request.queryParameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** The subprotocol the server will choose, or {@code null}. */
  public String subprotocol() {
    return subprotocol;
  }

  /** Attaches a value the session will carry in its attributes. */
  public synchronized HandshakeContext attribute(String name, Object value) {
    if (attributes == null) {
      attributes = new ConcurrentHashMap<>();
    }
    attributes.put(name, value);
    return this;
  }

  synchronized boolean hasAttributes() {
    return attributes != null && !attributes.isEmpty();
  }

  synchronized Map<String, Object> attributes() {
    return attributes == null ? Map.of() : attributes;
  }

  /** A refusal to return from the hook: the client gets {@code status} and the reason. */
  public Mono<Void> reject(int status, String reason) {
    return Mono.error(new HandshakeException(status, reason));
  }
}

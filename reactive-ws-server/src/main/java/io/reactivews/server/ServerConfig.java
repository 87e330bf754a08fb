package io.reactivews.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.cluster.ClusterBus;
import java.time.Duration;
import java.util.List;

/**
 * Everything a server spec holds; see {@link WebSocketServer} for meanings and defaults. Specs
 * copy it before each change (copy-on-write), so a config is never changed once shared.
 */
final class ServerConfig implements Cloneable {

  String host;
  int port;
  Routes routes = new Routes(List.of());
  SessionOptions options = SessionOptions.defaults();
  List<String> subprotocols = List.of();
  OriginPolicy origins = OriginPolicy.any();
  HandshakeHook hook = HandshakeHook.ACCEPT_ALL;
  int maxHeadSize = 8 * 1024;
  int maxHeaderCount = 100;
  Duration handshakeTimeout = Duration.ofSeconds(10);
  int maxConnections = 10_000;
  SslContext sslContext;
  ClusterBus bus; // null: a LocalBus of its own
  /** Null: no meters, and Micrometer is never loaded. */
  MeterRegistry meterRegistry;

  ServerConfig copy() {
    try {
      return (ServerConfig) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }
}

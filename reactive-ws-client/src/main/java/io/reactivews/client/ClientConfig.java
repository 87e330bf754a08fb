package io.reactivews.client;

import io.reactivews.client.metrics.ClientMetrics;
import io.reactivews.core.handshake.HttpHeaders;
import io.reactivews.core.session.SessionOptions;
import java.time.Duration;
import java.util.List;

/**
 * Everything a client spec holds; see {@link WebSocketClient} for meanings and defaults. Specs
 * copy it before each change (copy-on-write), so a config is never changed once shared. The
 * {@link OpenSessions} are the one shared, mutable part: copies of a client track together.
 */
final class ClientConfig implements Cloneable {

  HttpHeaders headers = HttpHeaders.empty();
  List<String> subprotocols = List.of();
  String origin;
  SessionOptions options = SessionOptions.defaults();
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration handshakeTimeout = Duration.ofSeconds(10);
  int maxHeadSize = 8 * 1024;
  int maxHeaderCount = 100;
  int maxErrorBodyBytes = 1024;
  Duration errorBodyWait = Duration.ofMillis(250);
  TlsSettings tls = TlsSettings.verifying();
  ClientProxy proxy;
  OpenSessions sessions = new OpenSessions();
  /** Null: no meters, and Micrometer is never loaded. */
  ClientMetrics metrics;

  ClientConfig copy() {
    try {
      return (ClientConfig) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }
}

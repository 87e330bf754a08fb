package io.reactivews.core.session;

import java.util.Objects;

/**
 * What the opening handshake settled, as a session shows it to applications.
 *
 * @param path the request path, such as {@code /chat}
 * @param query the raw query string without {@code ?}, empty when none
 * @param subprotocol the negotiated subprotocol, or {@code null}
 */
public record HandshakeInfo(String path, String query, String subprotocol) {

  public HandshakeInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
  }

  /** A handshake on {@code /} with no query and no subprotocol, for tests and in-memory use. */
  public static HandshakeInfo root() {
    return new HandshakeInfo("/", "", null);
  }
}

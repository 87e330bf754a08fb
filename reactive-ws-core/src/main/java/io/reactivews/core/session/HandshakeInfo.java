package io.reactivews.core.session;

import io.reactivews.core.handshake.HttpHeaders;
import io.reactivews.core.handshake.QueryString;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the opening handshake settled, as a session shows it to applications: on a server, the
 * client's request; on a client, the server's response headers.
 *
 * @param path the request path, such as {@code /chat}
 * @param query the raw query string without {@code ?}, empty when none
 * @param headers the request headers (server side) or response headers (client side)
 * @param subprotocol the negotiated subprotocol, or {@code null}
 */
public record HandshakeInfo(String path, String query, HttpHeaders headers, String subprotocol) {

  public HandshakeInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(headers, "headers");
  }

  /** A handshake on {@code /} with no query, headers or subprotocol, for in-memory use. */
  public static HandshakeInfo root() {
    return new HandshakeInfo("/", "", HttpHeaders.empty(), null);
  }

  /** The query's parameters, percent-decoded, in order; {@code +} reads as a space. */
  public Map<String, List<String>> queryParameters() {
    return QueryString.parse(query);
  }

  /** The first value of a query parameter, or {@code null}. */
  public String queryParameter(String name) {
    List<String> values = queryParameters().get(name);
    return values == null ? null : values.get(0);
  }
}

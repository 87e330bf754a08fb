package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.HttpSyntax.quote;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The client's half of the opening handshake (RFC 6455 sections 4.1 and 4.2.2): what to ask
 * for, the request that asks it, and the check of the server's answer. No I/O: the client glue
 * writes {@link Attempt#request()} and reads the answer with {@link HttpHeadParser}.
 *
 * <pre>{@code
 * ClientHandshake spec = ClientHandshake.to("wss://example.com/chat")
 *     .subprotocols("v2.chat", "v1.chat")
 *     .header("Authorization", "Bearer " + token);
 * ClientHandshake.Attempt attempt = spec.newAttempt();        // fresh key each time
 * send(attempt.request().writeTo(alloc));
 * HttpResponseHead head = parser.parse(buf);                  // null until complete
 * UpgradeResponse ok = attempt.validate(head);                // or HandshakeException
 * // buf's readable bytes are the server's first frames
 * }</pre>
 *
 * <p>The spec is immutable and thread-safe; each setter returns a copy and checks its input.
 * Headers the handshake writes itself cannot be set through {@link #header}: {@code Upgrade},
 * {@code Connection}, the {@code Sec-WebSocket-*} headers (use {@link #subprotocols} and {@link
 * #extensions}), {@code Origin} (use {@link #origin}), and {@code Content-Length} and {@code
 * Transfer-Encoding}, since bytes after the head are frames. A {@code Host} header replaces the
 * one derived from the URI.
 */
public final class ClientHandshake {

  private static final List<String> RESERVED = List.of("upgrade", "connection",
      "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
      "sec-websocket-protocol", "sec-websocket-extensions", "origin",
      "content-length", "transfer-encoding");

  private final WebSocketUri uri;
  private final HttpHeaders headers;
  private final List<String> subprotocols;
  private final List<WebSocketExtension> extensions;
  private final String origin;

  private ClientHandshake(WebSocketUri uri, HttpHeaders headers, List<String> subprotocols,
      List<WebSocketExtension> extensions, String origin) {
    this.uri = uri;
    this.headers = headers;
    this.subprotocols = subprotocols;
    this.extensions = extensions;
    this.origin = origin;
  }

  /** A handshake with {@code uri}; see {@link WebSocketUri#parse} for what is accepted. */
  public static ClientHandshake to(String uri) {
    return to(WebSocketUri.parse(uri));
  }

  public static ClientHandshake to(URI uri) {
    return to(WebSocketUri.of(uri));
  }

  public static ClientHandshake to(WebSocketUri uri) {
    return new ClientHandshake(
        Objects.requireNonNull(uri, "uri"), HttpHeaders.empty(), List.of(), List.of(), null);
  }

  /**
   * A copy that also sends {@code name: value}, after the handshake's own headers.
   *
   * @throws IllegalArgumentException if the name is one the handshake sets, is a second {@code
   *     Host}, or the name or value is not allowed in a header
   */
  public ClientHandshake header(String name, String value) {
    return headers(headers.toBuilder().add(name, value).build());
  }

  /** A copy with these custom headers instead of the previous ones; checked as {@link #header}. */
  public ClientHandshake headers(HttpHeaders custom) {
    ServerHandshake.refuseHeaders(custom, RESERVED, "the handshake sets it");
    if (custom.getAll("Host").size() > 1) {
      throw new IllegalArgumentException("only one Host header may be sent");
    }
    return new ClientHandshake(uri, custom, subprotocols, extensions, origin);
  }

  /** A copy that offers these subprotocols, most preferred first; none to offer none. */
  public ClientHandshake subprotocols(String... protocols) {
    return subprotocols(List.of(protocols));
  }

  /**
   * A copy that offers these subprotocols, most preferred first.
   *
   * @throws IllegalArgumentException if one is not a token or appears twice (section 4.1)
   */
  public ClientHandshake subprotocols(List<String> protocols) {
    List<String> copy = List.copyOf(protocols);
    for (int i = 0; i < copy.size(); i++) {
      if (!HttpSyntax.isToken(copy.get(i))) {
        throw new IllegalArgumentException("subprotocol is not a token: " + quote(copy.get(i)));
      }
      if (copy.indexOf(copy.get(i)) != i) {
        throw new IllegalArgumentException("subprotocol offered twice: " + copy.get(i));
      }
    }
    return new ClientHandshake(uri, headers, copy, extensions, origin);
  }

  /** A copy that offers these extensions, most preferred first. */
  public ClientHandshake extensions(WebSocketExtension... offers) {
    return extensions(List.of(offers));
  }

  public ClientHandshake extensions(List<WebSocketExtension> offers) {
    return new ClientHandshake(uri, headers, subprotocols, List.copyOf(offers), origin);
  }

  /** A copy that sends {@code Origin: origin} (as browsers do), or none when null. */
  public ClientHandshake origin(String newOrigin) {
    String checked = newOrigin == null ? null : HttpSyntax.checkValue("Origin", newOrigin);
    return new ClientHandshake(uri, headers, subprotocols, extensions, checked);
  }

  public WebSocketUri uri() {
    return uri;
  }

  /** The custom headers. */
  public HttpHeaders headers() {
    return headers;
  }

  public List<String> subprotocols() {
    return subprotocols;
  }

  public List<WebSocketExtension> extensions() {
    return extensions;
  }

  /** The Origin to send, or null. */
  public String origin() {
    return origin;
  }

  /** A new attempt with a fresh random key: one per connection, retries included. */
  public Attempt newAttempt() {
    return newAttempt(WebSocketAccept.newKey());
  }

  /** An attempt with a chosen key, so that tests can predict the bytes. */
  Attempt newAttempt(String key) {
    return new Attempt(this, key);
  }

  /** The request that opens a connection with {@code key} (section 4.1). */
  HttpRequestHead request(String key) {
    HttpHeaders.Builder h = HttpHeaders.builder();
    String customHost = headers.get("Host");
    h.add("Host", customHost != null ? customHost : uri.hostHeader())
        .add("Upgrade", "websocket")
        .add("Connection", "Upgrade")
        .add("Sec-WebSocket-Key", key)
        .add("Sec-WebSocket-Version", "13");
    if (!subprotocols.isEmpty()) {
      h.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
    }
    if (!extensions.isEmpty()) {
      h.add("Sec-WebSocket-Extensions", WebSocketExtension.format(extensions));
    }
    if (origin != null) {
      h.add("Origin", origin);
    }
    HttpHeaders.Builder rest = headers.toBuilder().remove("Host");
    return HttpRequestHead.get(uri.requestTarget(), h.addAll(rest.build()).build());
  }

  /**
   * Checks the server's answer to the request sent with {@code key} (section 4.2.2, client
   * side): status 101, {@code Upgrade: websocket}, {@code Connection: upgrade}, the {@code
   * Sec-WebSocket-Accept} that matches the key, at most one subprotocol and only one offered,
   * and only extensions offered.
   *
   * @throws HandshakeException carrying the response's status and headers, if it fails a check
   */
  public UpgradeResponse validate(HttpResponseHead response, String key) {
    HttpHeaders h = response.headers();
    if (response.status() != 101) {
      String asked = response.status() == 426 && h.contains("Sec-WebSocket-Version")
          ? "; the server speaks Sec-WebSocket-Version " + quote(h.get("Sec-WebSocket-Version"))
          : "";
      throw fail(response, "expected 101 Switching Protocols, got "
          + (response.status() + " " + response.reason()).trim() + asked);
    }
    if (!h.containsToken("Upgrade", "websocket")) {
      throw fail(response, "101 response without Upgrade: websocket");
    }
    if (!h.containsToken("Connection", "upgrade")) {
      throw fail(response, "101 response without Connection: Upgrade");
    }
    List<String> accepts = h.getAll("Sec-WebSocket-Accept");
    if (accepts.size() != 1) {
      throw fail(response, accepts.isEmpty()
          ? "101 response without Sec-WebSocket-Accept"
          : "101 response with more than one Sec-WebSocket-Accept");
    }
    String expected = WebSocketAccept.of(key);
    if (!accepts.get(0).equals(expected)) {
      throw fail(response, "Sec-WebSocket-Accept " + quote(accepts.get(0))
          + " does not answer the key: expected " + expected);
    }
    return new UpgradeResponse(response, chosenSubprotocol(response), acceptedExtensions(response));
  }

  private String chosenSubprotocol(HttpResponseHead response) {
    List<String> chosen = response.headers().getAll("Sec-WebSocket-Protocol");
    if (chosen.isEmpty()) {
      return null;
    }
    String value = String.join(", ", chosen);
    if (chosen.size() > 1 || value.indexOf(',') >= 0) {
      throw fail(response, "server chose more than one subprotocol: " + quote(value));
    }
    if (subprotocols.isEmpty()) {
      throw fail(response, "server chose subprotocol " + quote(value) + " but none was offered");
    }
    if (!subprotocols.contains(value)) {
      throw fail(response, "server chose subprotocol " + quote(value)
          + ", which was not offered; offered " + subprotocols);
    }
    return value;
  }

  private List<WebSocketExtension> acceptedExtensions(HttpResponseHead response) {
    List<WebSocketExtension> accepted;
    try {
      accepted = WebSocketExtension.parseAll(response.headers());
    } catch (IllegalArgumentException e) {
      throw fail(response, e.getMessage());
    }
    List<WebSocketExtension> checked = new ArrayList<>(accepted.size());
    for (WebSocketExtension e : accepted) {
      if (extensions.stream().noneMatch(o -> o.name().equalsIgnoreCase(e.name()))) {
        throw fail(response, "server accepted extension " + quote(e.name())
            + ", which was not offered");
      }
      checked.add(e);
    }
    return checked;
  }

  private static HandshakeException fail(HttpResponseHead response, String message) {
    return new HandshakeException(response.status(), response.headers(), message);
  }

  @Override
  public String toString() {
    return "ClientHandshake{" + uri + ", subprotocols=" + subprotocols
        + ", extensions=" + extensions + ", origin=" + origin
        + ", headers=" + headers.names().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()
        + "}";
  }

  /**
   * One try at opening a connection: the request to send, with its own fresh key, and the check
   * of the answer to it. Immutable.
   */
  public static final class Attempt {

    private final ClientHandshake spec;
    private final String key;
    private final HttpRequestHead request;

    private Attempt(ClientHandshake spec, String key) {
      this.spec = spec;
      this.key = key;
      this.request = spec.request(key);
    }

    /** The request head to write. */
    public HttpRequestHead request() {
      return request;
    }

    /** This attempt's {@code Sec-WebSocket-Key}. */
    public String key() {
      return key;
    }

    /** Checks the server's answer; see {@link ClientHandshake#validate}. */
    public UpgradeResponse validate(HttpResponseHead response) {
      return spec.validate(response, key);
    }
  }
}

package io.reactivews.core.handshake;

import static io.reactivews.core.handshake.HttpSyntax.quote;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The server's half of the opening handshake (RFC 6455 section 4.2): check a request, then
 * answer it with {@code 101 Switching Protocols} or a refusal. No I/O: the server glue reads the
 * head with {@link HttpHeadParser} and writes what this class returns.
 *
 * <pre>{@code
 * HttpRequestHead head = parser.parse(buf);            // null until complete
 * if (!ServerHandshake.isUpgradeRequest(head)) { ...serve a page, or reject(404, ...) }
 * try {
 *   UpgradeRequest req = ServerHandshake.validate(head);
 *   String sub = ServerHandshake.selectSubprotocol(req.subprotocols(), List.of("v2", "v1"));
 *   send(ServerHandshake.accept(req, sub, List.of()).writeTo(alloc));
 *   // buf's readable bytes are the client's first frames
 * } catch (HandshakeException e) {
 *   send(ServerHandshake.reject(e).writeTo(alloc));   // then close
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ServerHandshake {

  /** Headers the handshake writes itself, which extra headers may not set. */
  static final List<String> HANDSHAKE_HEADERS = List.of("upgrade", "connection",
      "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
      "sec-websocket-protocol", "sec-websocket-extensions");

  /** Headers that {@link #reject} computes from the body. */
  private static final List<String> FRAMING_HEADERS =
      List.of("content-length", "transfer-encoding", "connection");

  private ServerHandshake() {}

  /**
   * Whether the request asks for a WebSocket: its {@code Upgrade} header names {@code websocket},
   * or it carries a {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version}. Deliberately
   * broad, so that a botched handshake earns a 400 that says what is wrong from {@link #validate}
   * rather than a web page; a request without any of these can be served as plain HTTP.
   */
  public static boolean isUpgradeRequest(HttpRequestHead request) {
    HttpHeaders h = request.headers();
    return h.containsToken("Upgrade", "websocket")
        || h.contains("Sec-WebSocket-Key")
        || h.contains("Sec-WebSocket-Version");
  }

  /**
   * Checks a request against section 4.2.1, in this order: method {@code GET} (else 405 with
   * {@code Allow: GET}); HTTP/1.1 or a later 1.x (1.0 gets 400, since HTTP/1.0 ignores Upgrade;
   * 2.0 and later get 505); exactly one non-empty {@code Host} (400); {@code Upgrade} listing
   * {@code websocket} and {@code Connection} listing {@code upgrade}, in any case and among other
   * elements (400); no body, as bytes after the head are frames (400); {@code
   * Sec-WebSocket-Version} exactly {@code 13} (else 426 with {@code Sec-WebSocket-Version: 13});
   * exactly one {@code Sec-WebSocket-Key} that is base64 of 16 bytes (400); well-formed {@code
   * Sec-WebSocket-Protocol} and {@code Sec-WebSocket-Extensions} (400).
   *
   * @throws HandshakeException with the status and headers to answer with
   */
  public static UpgradeRequest validate(HttpRequestHead request) {
    HttpHeaders h = request.headers();
    if (!request.method().equals("GET")) {
      throw new HandshakeException(405, HttpHeaders.of("Allow", "GET"),
          "a WebSocket handshake must be a GET request, not " + quote(request.method()));
    }
    if (request.version().major() > 1) {
      throw new HandshakeException(505,
          "a WebSocket handshake is an HTTP/1.1 request, not " + request.version());
    }
    if (!request.version().isAtLeast(HttpVersion.HTTP_1_1)) {
      throw HandshakeException.badRequest(
          "a WebSocket handshake needs HTTP/1.1 or later, not " + request.version());
    }
    String host = single(h, "Host");
    if (host.isEmpty()) {
      throw HandshakeException.badRequest("empty Host header");
    }
    if (!h.containsToken("Upgrade", "websocket")) {
      throw HandshakeException.badRequest(h.contains("Upgrade")
          ? "Upgrade header does not name websocket: "
              + quote(String.join(", ", h.getAll("Upgrade")))
          : "missing Upgrade: websocket header");
    }
    if (!h.containsToken("Connection", "upgrade")) {
      throw HandshakeException.badRequest(h.contains("Connection")
          ? "Connection header does not list upgrade: "
              + quote(String.join(", ", h.getAll("Connection")))
          : "missing Connection: Upgrade header");
    }
    if (h.contains("Transfer-Encoding")
        || h.getAll("Content-Length").stream().anyMatch(v -> !v.equals("0"))) {
      throw HandshakeException.badRequest("a WebSocket handshake may not have a body");
    }
    List<String> versions = h.getAll("Sec-WebSocket-Version");
    if (versions.size() != 1 || !versions.get(0).equals("13")) {
      throw new HandshakeException(426, HttpHeaders.of("Sec-WebSocket-Version", "13"),
          versions.isEmpty()
              ? "missing Sec-WebSocket-Version header; this server speaks version 13"
              : "unsupported Sec-WebSocket-Version " + quote(String.join(", ", versions))
                  + "; this server speaks version 13");
    }
    String key = single(h, "Sec-WebSocket-Key");
    if (!WebSocketAccept.isValidKey(key)) {
      throw HandshakeException.badRequest(
          "Sec-WebSocket-Key is not the base64 of 16 bytes: " + quote(key));
    }
    List<String> subprotocols = h.tokens("Sec-WebSocket-Protocol");
    for (String p : subprotocols) {
      if (!HttpSyntax.isToken(p)) {
        throw HandshakeException.badRequest("subprotocol is not a token: " + quote(p));
      }
    }
    List<WebSocketExtension> extensions;
    try {
      extensions = WebSocketExtension.parseAll(h);
    } catch (IllegalArgumentException e) {
      throw HandshakeException.badRequest(e.getMessage());
    }
    return new UpgradeRequest(request, host, h.get("Origin"), key, subprotocols, extensions);
  }

  private static String single(HttpHeaders h, String name) {
    List<String> values = h.getAll(name);
    if (values.size() != 1) {
      throw HandshakeException.badRequest(
          values.isEmpty() ? "missing " + name + " header" : "more than one " + name + " header");
    }
    return values.get(0);
  }

  /**
   * The 101 response with no extra headers; see {@link #accept(UpgradeRequest, String, List,
   * HttpHeaders)}.
   */
  public static HttpResponseHead accept(
      UpgradeRequest request, String subprotocol, List<WebSocketExtension> extensions) {
    return accept(request, subprotocol, extensions, HttpHeaders.empty());
  }

  /**
   * The {@code 101 Switching Protocols} that completes the handshake (section 4.2.2): {@code
   * Upgrade}, {@code Connection}, {@code Sec-WebSocket-Accept}, the chosen subprotocol and the
   * accepted extensions (in the order their frames are processed), then {@code extra} (a
   * {@code Set-Cookie}, say).
   *
   * @param subprotocol one the client offered, or null for none
   * @param extensions responses to extensions the client offered, possibly empty
   * @throws IllegalArgumentException if the subprotocol or an extension was not offered, or
   *     {@code extra} tries to set a header the handshake writes itself
   */
  public static HttpResponseHead accept(UpgradeRequest request, String subprotocol,
      List<WebSocketExtension> extensions, HttpHeaders extra) {
    if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
      throw new IllegalArgumentException("subprotocol " + quote(subprotocol)
          + " was not offered; the client offered " + request.subprotocols());
    }
    for (WebSocketExtension e : extensions) {
      if (request.extensions().stream().noneMatch(o -> o.name().equalsIgnoreCase(e.name()))) {
        throw new IllegalArgumentException("extension " + e.name() + " was not offered");
      }
    }
    refuseHeaders(extra, HANDSHAKE_HEADERS, "the handshake sets it");
    HttpHeaders.Builder h = HttpHeaders.builder()
        .add("Upgrade", "websocket")
        .add("Connection", "Upgrade")
        .add("Sec-WebSocket-Accept", WebSocketAccept.of(request.key()));
    if (subprotocol != null) {
      h.add("Sec-WebSocket-Protocol", subprotocol);
    }
    if (!extensions.isEmpty()) {
      h.add("Sec-WebSocket-Extensions", WebSocketExtension.format(extensions));
    }
    return HttpResponseHead.of(101, h.addAll(extra).build());
  }

  /**
   * The answer to a failed handshake: its status, headers (such as {@code
   * Sec-WebSocket-Version: 13}) and message as a plain text body. The connection should be
   * closed once it is written.
   */
  public static HttpResponse reject(HandshakeException failure) {
    return reject(failure.status(), null, failure.headers(), failure.getMessage() + "\n");
  }

  /**
   * A whole response that ends the exchange: {@code extra} headers, then {@code Content-Type:
   * text/plain; charset=utf-8} unless {@code extra} has a type, {@code Content-Length}, and
   * {@code Connection: close}. Any final status is allowed, so a plain page (200) or a redirect
   * (with {@code Location} in {@code extra}) can be sent to a client that did not ask for a
   * WebSocket.
   *
   * @param reason the reason phrase, or null for the usual one
   * @param body text, sent as UTF-8; null or empty for none
   * @throws IllegalArgumentException if the status is not 200-599, or {@code extra} sets a
   *     framing header ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection})
   */
  public static HttpResponse reject(int status, String reason, HttpHeaders extra, String body) {
    return response(status, reason, extra,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * As {@link #reject(int, String, HttpHeaders, String)} with a body of bytes, sent as they are
   * (an image, a font, a page in any charset): {@code extra} should name their type, else they
   * are labelled as UTF-8 text.
   *
   * @param body the body's bytes; null or empty for none
   */
  public static HttpResponse response(int status, String reason, HttpHeaders extra, byte[] body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("a final response needs a status 200-599: " + status);
    }
    refuseHeaders(extra, FRAMING_HEADERS, "it follows from the body");
    byte[] bytes = body == null ? new byte[0] : body;
    HttpHeaders.Builder h = extra.toBuilder();
    if (bytes.length > 0 && !extra.contains("Content-Type")) {
      h.add("Content-Type", "text/plain; charset=utf-8");
    }
    h.add("Content-Length", Integer.toString(bytes.length)).add("Connection", "close");
    String phrase = reason == null ? HttpResponseHead.reasonPhrase(status) : reason;
    return new HttpResponse(
        new HttpResponseHead(status, phrase, HttpVersion.HTTP_1_1, h.build()), bytes);
  }

  /**
   * The server's most preferred subprotocol that the client offered, or null when they share
   * none. Names compare exactly, case included.
   */
  public static String selectSubprotocol(List<String> offered, List<String> supported) {
    Objects.requireNonNull(offered, "offered");
    for (String s : supported) {
      if (offered.contains(s)) {
        return s;
      }
    }
    return null;
  }

  /** Throws if {@code headers} has any of {@code reserved} (lower-case names). */
  static void refuseHeaders(HttpHeaders headers, List<String> reserved, String why) {
    for (String name : headers.names()) {
      if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("header " + name + " may not be set here: " + why);
      }
    }
  }
}

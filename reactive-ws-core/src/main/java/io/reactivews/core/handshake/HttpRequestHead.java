package io.reactivews.core.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The head of an HTTP/1.1 request: request line and header fields (RFC 9112 sections 3 and 5),
 * without a body. A WebSocket opening handshake is exactly one of these (RFC 6455 section 4.1).
 *
 * <p>Built by {@link HttpHeadParser} from the network, or by {@link ClientHandshake} to send. The
 * constructor checks what it is given, so a head can always be written: the method must be a
 * token, the target visible ASCII without spaces or a fragment. Immutable and thread-safe.
 *
 * <pre>{@code
 * HttpRequestHead head = HttpRequestHead.get("/chat?room=a%20b", HttpHeaders.of("Host", "x"));
 * head.path();               // "/chat"
 * head.queryParameters();    // {room=[a b]}
 * ByteBuf wire = head.writeTo(alloc);
 * }</pre>
 */
public final class HttpRequestHead {

  private final String method;
  private final String target;
  private final HttpVersion version;
  private final HttpHeaders headers;

  /**
   * A request head.
   *
   * @throws IllegalArgumentException if the method is not a token or the target is empty, holds
   *     anything but visible ASCII, or holds a fragment
   */
  public HttpRequestHead(String method, String target, HttpVersion version, HttpHeaders headers) {
    if (method == null || !HttpSyntax.isToken(method)) {
      throw new IllegalArgumentException("method is not a token: " + HttpSyntax.quote(method));
    }
    this.method = method;
    this.target = checkTarget(target);
    this.version = Objects.requireNonNull(version, "version");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  /** A {@code GET} request of HTTP/1.1, the only kind that can open a WebSocket. */
  public static HttpRequestHead get(String target, HttpHeaders headers) {
    return new HttpRequestHead("GET", target, HttpVersion.HTTP_1_1, headers);
  }

  /** Why {@code target} cannot be a request target, or null when it can. */
  static String targetProblem(String target) {
    if (target == null || target.isEmpty()) {
      return "empty request target";
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (!HttpSyntax.isVisibleAscii(c)) {
        return "request target has a forbidden character " + HttpSyntax.describe(c);
      }
      if (c == '#') {
        return "request target has a fragment";
      }
    }
    return null;
  }

  private static String checkTarget(String target) {
    String problem = targetProblem(target);
    if (problem != null) {
      throw new IllegalArgumentException(problem + ": " + HttpSyntax.quote(target));
    }
    return target;
  }

  /** The method, case-sensitive: {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target exactly as on the request line: {@code /chat?room=1}. */
  public String target() {
    return target;
  }

  public HttpVersion version() {
    return version;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /**
   * The path of the target, still percent-encoded so that {@code %2F} stays apart from {@code /}:
   * {@code /chat} for {@code /chat?room=1}. For an absolute target ({@code http://h/chat}) the
   * path part, {@code /} when it has none; other forms ({@code *}) are returned whole.
   */
  public String path() {
    String beforeQuery = target;
    int q = target.indexOf('?');
    if (q >= 0) {
      beforeQuery = target.substring(0, q);
    }
    int scheme = beforeQuery.indexOf("://");
    if (beforeQuery.startsWith("/") || scheme < 0) {
      return beforeQuery;
    }
    int slash = beforeQuery.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : beforeQuery.substring(slash);
  }

  /** The query after {@code ?}, still encoded; null when the target has no {@code ?}. */
  public String rawQuery() {
    int q = target.indexOf('?');
    return q < 0 ? null : target.substring(q + 1);
  }

  /**
   * The query as decoded parameters, in order of first appearance: {@code a=1&b&a=x%20y} gives
   * {a=[1, x y], b=[""]}. Decoding follows HTML forms: {@code +} is a space and percent escapes
   * are UTF-8; a malformed escape is kept as it is. Empty when there is no query.
   */
  public Map<String, List<String>> queryParameters() {
    return QueryString.parse(rawQuery());
  }

  /** The head as bytes: request line, fields and the blank line, each ended by CRLF. */
  public byte[] toBytes() {
    return HttpSyntax.head(method + " " + target + " " + version, headers);
  }

  /** The head in a new buffer from {@code alloc}, which the caller owns. */
  public ByteBuf writeTo(ByteBufAllocator alloc) {
    byte[] bytes = toBytes();
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /** The request line and headers, credentials hidden. */
  @Override
  public String toString() {
    return method + " " + target + " " + version + (headers.isEmpty() ? "" : "\n" + headers);
  }
}

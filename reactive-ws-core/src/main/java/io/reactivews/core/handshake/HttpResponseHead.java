package io.reactivews.core.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Map;
import java.util.Objects;

/**
 * The head of an HTTP/1.1 response: status line and header fields (RFC 9112 sections 4 and 5),
 * without a body. The server's {@code 101 Switching Protocols} is one (RFC 6455 section 4.2.2);
 * a refusal adds a body, see {@link HttpResponse}.
 *
 * <p>Built by {@link ServerHandshake} to send, or by {@link HttpHeadParser} from the network.
 * The constructor checks its input, so a head can always be written without breaking the
 * stream: a three-digit status, a reason phrase without CR, LF or other controls. Immutable and
 * thread-safe.
 */
public final class HttpResponseHead {

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(101, "Switching Protocols"),
      Map.entry(200, "OK"),
      Map.entry(204, "No Content"),
      Map.entry(301, "Moved Permanently"),
      Map.entry(302, "Found"),
      Map.entry(303, "See Other"),
      Map.entry(307, "Temporary Redirect"),
      Map.entry(308, "Permanent Redirect"),
      Map.entry(400, "Bad Request"),
      Map.entry(401, "Unauthorized"),
      Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"),
      Map.entry(405, "Method Not Allowed"),
      Map.entry(406, "Not Acceptable"),
      Map.entry(408, "Request Timeout"),
      Map.entry(409, "Conflict"),
      Map.entry(410, "Gone"),
      Map.entry(413, "Content Too Large"),
      Map.entry(414, "URI Too Long"),
      Map.entry(426, "Upgrade Required"),
      Map.entry(429, "Too Many Requests"),
      Map.entry(431, "Request Header Fields Too Large"),
      Map.entry(500, "Internal Server Error"),
      Map.entry(501, "Not Implemented"),
      Map.entry(502, "Bad Gateway"),
      Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"),
      Map.entry(505, "HTTP Version Not Supported"));

  private final int status;
  private final String reason;
  private final HttpVersion version;
  private final HttpHeaders headers;

  /**
   * A response head.
   *
   * @throws IllegalArgumentException if the status is not 100-999 or the reason holds a control
   *     character or a character above 0xFF
   */
  public HttpResponseHead(int status, String reason, HttpVersion version, HttpHeaders headers) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must have three digits: " + status);
    }
    Objects.requireNonNull(reason, "reason");
    HttpSyntax.checkText(reason, "reason phrase");
    this.status = status;
    this.reason = reason;
    this.version = Objects.requireNonNull(version, "version");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  /** An HTTP/1.1 response with the usual reason phrase for {@code status}. */
  public static HttpResponseHead of(int status, HttpHeaders headers) {
    return new HttpResponseHead(status, reasonPhrase(status), HttpVersion.HTTP_1_1, headers);
  }

  /** The usual reason phrase for a status ({@code Not Found}), empty for an unknown one. */
  public static String reasonPhrase(int status) {
    return REASONS.getOrDefault(status, "");
  }

  public int status() {
    return status;
  }

  /** The reason phrase, possibly empty; clients must not depend on it (RFC 9112 section 4). */
  public String reason() {
    return reason;
  }

  public HttpVersion version() {
    return version;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The head as bytes: status line, fields and the blank line, each ended by CRLF. */
  public byte[] toBytes() {
    return HttpSyntax.head(statusLine(), headers);
  }

  /** The head in a new buffer from {@code alloc}, which the caller owns. */
  public ByteBuf writeTo(ByteBufAllocator alloc) {
    byte[] bytes = toBytes();
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /** {@code HTTP/1.1 101 Switching Protocols}. */
  public String statusLine() {
    return version + " " + status + " " + reason;
  }

  /** The status line and headers, credentials hidden. */
  @Override
  public String toString() {
    return statusLine() + (headers.isEmpty() ? "" : "\n" + headers);
  }
}

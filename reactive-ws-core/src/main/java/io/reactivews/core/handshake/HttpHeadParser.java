package io.reactivews.core.handshake;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads one HTTP/1.1 head (RFC 9112 sections 2-5) from bytes as they arrive, split anywhere: a
 * request head on the server, a response head on the client.
 *
 * <pre>{@code
 * HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequest();
 * // for each buffer read from the connection:
 * HttpRequestHead head = parser.parse(buf);   // null until the blank line arrives
 * if (head != null) {
 *   // buf's readable bytes, if any, are the first WebSocket frames: do not drop them
 * }
 * }</pre>
 *
 * <p>{@link #parse} consumes exactly the bytes of the head: when it returns the head, the
 * buffer's reader index sits just after the blank line, and whatever followed in the same read
 * is left readable for the frame decoder. It copies what it keeps and never holds on to a buffer,
 * so the caller may release each one as soon as {@code parse} returns.
 *
 * <p>Syntax, strictly: lines end with CRLF, or a bare LF (RFC 9112 section 2.2 lets a recipient
 * accept one; CR alone is an error). Empty lines before a request line are skipped, as section
 * 2.2 advises. Request line: method SP target SP version, single spaces. Header fields: a token
 * name, a colon right after it (whitespace before the colon is an error, section 5.1), the value
 * with spaces around it dropped; values may hold bytes 0x80-0xFF, read as ISO-8859-1. Controls
 * other than tab, obsolete line folding, and a line with no colon are errors.
 *
 * <p>Failures are {@link HandshakeException}s: for requests, status 400 for bad syntax and 431
 * when the head passes {@code maxHeadSize} bytes (counted from the first byte through the blank
 * line) or {@code maxHeaderCount} fields; for responses, status {@value
 * HandshakeException#NO_STATUS} with the same messages. Limits fail at the first byte past
 * them, so a parser never holds more than {@code maxHeadSize} bytes.
 *
 * <p>One parser reads one head; it is single-threaded and its state is undefined after it throws.
 */
public final class HttpHeadParser<T> {

  public static final int DEFAULT_MAX_HEAD_SIZE = 8 * 1024;
  public static final int DEFAULT_MAX_HEADER_COUNT = 100;

  private final boolean request;
  private final int maxHeadSize;
  private final int maxHeaderCount;
  private final Function<String, Function<HttpHeaders, T>> startLineParser;

  private byte[] line = new byte[128];
  private int lineLength;
  private boolean pendingCr;
  private boolean inMethod;
  private int consumed;
  private Function<HttpHeaders, T> finisher;
  private final HttpHeaders.Builder headers = HttpHeaders.builder();
  private int headerCount;
  private T result;

  private HttpHeadParser(boolean request, int maxHeadSize, int maxHeaderCount,
      Function<String, Function<HttpHeaders, T>> startLineParser) {
    if (maxHeadSize < 1 || maxHeaderCount < 0) {
      throw new IllegalArgumentException(
          "limits must be positive: " + maxHeadSize + " bytes, " + maxHeaderCount + " fields");
    }
    this.request = request;
    this.maxHeadSize = maxHeadSize;
    this.maxHeaderCount = maxHeaderCount;
    this.startLineParser = startLineParser;
    this.inMethod = request;
  }

  /** A parser for one request head, with the default limits (8 KiB, 100 fields). */
  public static HttpHeadParser<HttpRequestHead> forRequest() {
    return forRequest(DEFAULT_MAX_HEAD_SIZE, DEFAULT_MAX_HEADER_COUNT);
  }

  public static HttpHeadParser<HttpRequestHead> forRequest(int maxHeadSize, int maxHeaderCount) {
    return new HttpHeadParser<>(true, maxHeadSize, maxHeaderCount, HttpHeadParser::requestLine);
  }

  /** A parser for one response head, with the default limits (8 KiB, 100 fields). */
  public static HttpHeadParser<HttpResponseHead> forResponse() {
    return forResponse(DEFAULT_MAX_HEAD_SIZE, DEFAULT_MAX_HEADER_COUNT);
  }

  public static HttpHeadParser<HttpResponseHead> forResponse(int maxHeadSize, int maxHeaderCount) {
    return new HttpHeadParser<>(false, maxHeadSize, maxHeaderCount, HttpHeadParser::statusLine);
  }

  /** Whether some bytes of a head have been read, so that the input may not end cleanly here. */
  public boolean isStarted() {
    return consumed > 0 && result == null;
  }

  /**
   * Reads the readable bytes of {@code in} up to the end of the head.
   *
   * @return the head once its blank line has been read, with {@code in}'s reader index just past
   *     it; null while more bytes are needed, with {@code in} fully read
   * @throws HandshakeException if the head is malformed or too large
   * @throws IllegalStateException if the head was already returned
   */
  public T parse(ByteBuf in) {
    if (result != null) {
      throw new IllegalStateException("this parser already read its head");
    }
    int index = in.readerIndex();
    int end = in.writerIndex();
    while (index < end) {
      int b = in.getByte(index++) & 0xFF;
      in.readerIndex(index);
      if (++consumed > maxHeadSize) {
        throw tooLarge(what() + " head is larger than " + maxHeadSize + " bytes");
      }
      if (pendingCr) {
        if (b != '\n') {
          throw malformed("CR not followed by LF in the " + what() + " head");
        }
        pendingCr = false;
        if (endLine()) {
          return result;
        }
      } else if (b == '\r') {
        pendingCr = true;
      } else if (b == '\n') {
        if (endLine()) {
          return result;
        }
      } else {
        append(b);
      }
    }
    return null;
  }

  private void append(int b) {
    if (b < 0x20 && b != '\t' || b == 0x7F) {
      throw malformed(
          "control character " + HttpSyntax.describe(b) + " in the " + what() + " head");
    }
    if (inMethod) {
      // Fails on the first byte of binary garbage (a TLS hello, say) instead of at the limit.
      if (b == ' ') {
        inMethod = false;
      } else if (!HttpSyntax.isTchar(b)) {
        throw malformed("request line does not start with a method: unexpected byte "
            + HttpSyntax.describe(b));
      }
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeadSize));
    }
    line[lineLength++] = (byte) b;
  }

  /** Handles a finished line; true when it was the blank line that ends the head. */
  private boolean endLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    lineLength = 0;
    if (finisher == null) {
      if (text.isEmpty() && request) {
        return false;
      }
      finisher = startLineParser.apply(text);
      inMethod = false;
      return false;
    }
    if (text.isEmpty()) {
      result = finisher.apply(headers.build());
      return true;
    }
    headerLine(text);
    return false;
  }

  private void headerLine(String text) {
    if (HttpSyntax.isWhitespace(text.charAt(0))) {
      throw malformed("obsolete line folding (a line starting with whitespace) in the "
          + what() + " head: " + HttpSyntax.quote(text));
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw malformed("header line without a colon: " + HttpSyntax.quote(text));
    }
    String name = text.substring(0, colon);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (HttpSyntax.isWhitespace(c)) {
        throw malformed("whitespace in or after header name " + HttpSyntax.quote(name));
      }
      if (!HttpSyntax.isTchar(c)) {
        throw malformed("header name has a forbidden character " + HttpSyntax.describe(c)
            + ": " + HttpSyntax.quote(name));
      }
    }
    if (name.isEmpty()) {
      throw malformed("header line with an empty name: " + HttpSyntax.quote(text));
    }
    if (++headerCount > maxHeaderCount) {
      throw tooLarge(what() + " head has more than " + maxHeaderCount + " header fields");
    }
    headers.add(name, text.substring(colon + 1));
  }

  private static Function<HttpHeaders, HttpRequestHead> requestLine(String text) {
    int sp1 = text.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || text.indexOf(' ', sp2 + 1) >= 0) {
      throw HandshakeException.badRequest("malformed request line: " + HttpSyntax.quote(text));
    }
    String method = text.substring(0, sp1);
    String target = text.substring(sp1 + 1, sp2);
    String problem = HttpRequestHead.targetProblem(target);
    if (problem != null) {
      throw HandshakeException.badRequest(problem + ": " + HttpSyntax.quote(text));
    }
    HttpVersion version = version(text.substring(sp2 + 1), 400, text);
    return headers -> new HttpRequestHead(method, target, version, headers);
  }

  private static Function<HttpHeaders, HttpResponseHead> statusLine(String text) {
    int sp = text.indexOf(' ');
    HttpVersion version = version(sp < 0 ? text : text.substring(0, sp), 0, text);
    // The space after the code is often missing when there is no reason: accept "HTTP/1.1 101".
    boolean codeOk = sp > 0 && text.length() >= sp + 4
        && (text.length() == sp + 4 || text.charAt(sp + 4) == ' ');
    for (int i = sp + 1; codeOk && i < sp + 4; i++) {
      codeOk = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    if (!codeOk || text.charAt(sp + 1) == '0') {
      throw new HandshakeException(HandshakeException.NO_STATUS,
          "malformed status line: " + HttpSyntax.quote(text));
    }
    int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
    String reason = text.length() > sp + 5 ? text.substring(sp + 5) : "";
    return headers -> new HttpResponseHead(status, reason, version, headers);
  }

  private static HttpVersion version(String text, int status, String line) {
    try {
      return HttpVersion.parse(text);
    } catch (IllegalArgumentException e) {
      throw new HandshakeException(status, "bad HTTP version in " + HttpSyntax.quote(line));
    }
  }

  private String what() {
    return request ? "request" : "response";
  }

  private HandshakeException malformed(String message) {
    return new HandshakeException(request ? 400 : HandshakeException.NO_STATUS, message);
  }

  private HandshakeException tooLarge(String message) {
    return new HandshakeException(request ? 431 : HandshakeException.NO_STATUS, message);
  }
}

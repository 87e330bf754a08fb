package io.reactivews.core.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A whole response with a body, as made by {@link ServerHandshake#reject}: the head carries the
 * body's {@code Content-Length} and {@code Connection: close}, so a client knows where it ends and
 * that nothing follows. Immutable and thread-safe.
 *
 * <pre>{@code
 * transport.send(Mono.fromCallable(() -> ServerHandshake.reject(failure).writeTo(alloc)));
 * }</pre>
 */
public final class HttpResponse {

  private final HttpResponseHead head;
  private final byte[] body;

  HttpResponse(HttpResponseHead head, byte[] body) {
    this.head = Objects.requireNonNull(head, "head");
    this.body = body.clone();
  }

  public HttpResponseHead head() {
    return head;
  }

  public int status() {
    return head.status();
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The answer to a HEAD request for this response (RFC 9110 section 9.3.2): the same head,
   * whose {@code Content-Length} is the body's, and no body.
   */
  public HttpResponse headOnly() {
    return new HttpResponse(head, new byte[0]);
  }

  /** The body decoded as UTF-8, the charset {@code reject} writes. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Head and body as they go on the wire. */
  public byte[] toBytes() {
    byte[] headBytes = head.toBytes();
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  /** Head and body in a new buffer from {@code alloc}, which the caller owns. */
  public ByteBuf writeTo(ByteBufAllocator alloc) {
    byte[] bytes = toBytes();
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  @Override
  public String toString() {
    return head + "\n\n" + bodyText();
  }
}

package io.reactivews.core.handshake;

import java.util.Objects;

/**
 * An opening handshake that failed (RFC 6455 section 4), with what HTTP has to say about it.
 *
 * <p>On the server, thrown by {@link HttpHeadParser} and {@link ServerHandshake#validate}: the
 * {@link #status()} and {@link #headers()} are the answer to send, and {@link
 * ServerHandshake#reject(HandshakeException)} writes it (426 carries {@code Sec-WebSocket-Version:
 * 13}, 405 carries {@code Allow: GET}). On the client, thrown by {@link ClientHandshake#validate}:
 * they are what the server sent, and {@link #body()} may hold the start of its body. A response
 * that could not even be parsed has status {@value #NO_STATUS}.
 *
 * <p>The message is for people: it says which rule was broken, quoting at most a short, escaped
 * piece of the peer's input.
 */
public final class HandshakeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The status of a response that was not valid HTTP, so had no status to report. */
  public static final int NO_STATUS = 0;

  private final int status;
  private final transient HttpHeaders headers;
  private final String body;

  public HandshakeException(int status, String message) {
    this(status, HttpHeaders.empty(), message, "");
  }

  public HandshakeException(int status, HttpHeaders headers, String message) {
    this(status, headers, message, "");
  }

  public HandshakeException(int status, HttpHeaders headers, String message, String body) {
    super(message);
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** 400 Bad Request: the request breaks HTTP or RFC 6455. */
  static HandshakeException badRequest(String message) {
    return new HandshakeException(400, message);
  }

  /**
   * The server's side: the status to answer with. The client's side: the status received, or
   * {@value #NO_STATUS} when the response was not valid HTTP.
   */
  public int status() {
    return status;
  }

  /** The server's side: headers to send with the answer. The client's: headers received. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The start of the response body, when the client read some; empty otherwise. */
  public String body() {
    return body;
  }

  /**
   * The same failure with the start of the body the server sent, for a client that read on
   * after the head to show the server's explanation.
   */
  public HandshakeException withBody(String bodyStart) {
    HandshakeException copy = new HandshakeException(status, headers, getMessage(), bodyStart);
    copy.setStackTrace(getStackTrace());
    return copy;
  }
}

package io.reactivews.client.socketio;

/**
 * The server broke the Engine.IO v4 or Socket.IO v5 protocol: an unknown packet type, JSON that
 * does not parse, an attachment count or placeholder that does not add up, a packet for a
 * namespace never asked for. It ends the connection for good, since a server that sends one
 * broken packet will send it again after a reconnection; every namespace session fails with it.
 *
 * <pre>{@code
 * session.states()
 *     .filter(s -> s.cause() instanceof SocketIoProtocolException)
 *     .subscribe(s -> log.error("server bug: {}", s.cause().getMessage()));
 * }</pre>
 */
public final class SocketIoProtocolException extends SocketIoException {

  private static final long serialVersionUID = 1L;

  public SocketIoProtocolException(String message) {
    super(message);
  }

  public SocketIoProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}

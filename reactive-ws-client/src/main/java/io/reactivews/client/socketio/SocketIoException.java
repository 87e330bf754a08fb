package io.reactivews.client.socketio;

/**
 * Something went wrong in a Socket.IO conversation: the base of this package's exceptions, and
 * thrown as is when a namespace is closed, refused or disconnected.
 *
 * <pre>{@code
 * session.emit("score", 3).onErrorResume(SocketIoException.class, e -> retryLater(e));
 * }</pre>
 */
public class SocketIoException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SocketIoException(String message) {
    super(message);
  }

  public SocketIoException(String message, Throwable cause) {
    super(message, cause);
  }
}

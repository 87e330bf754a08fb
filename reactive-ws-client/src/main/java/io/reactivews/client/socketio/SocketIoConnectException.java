package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The server refused to connect a namespace: its {@code CONNECT_ERROR} packet, typically sent
 * by a middleware that rejected the {@code auth} payload. {@link #getMessage()} is the server's
 * message; {@link #data()} is the {@code data} it attached to its error, if any.
 *
 * <pre>{@code
 * client.connect(uri, "/admin", Map.of("token", token))
 *     .onErrorResume(SocketIoConnectException.class, e ->
 *         Mono.error(new IllegalStateException("refused: " + e.data().path("reason").asText())));
 * }</pre>
 */
public final class SocketIoConnectException extends SocketIoException {

  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final transient JsonNode data;

  public SocketIoConnectException(String namespace, String message, JsonNode data) {
    super(message);
    this.namespace = namespace;
    this.data = data == null ? MissingNode.getInstance() : data;
  }

  /** The namespace that was refused, such as {@code /admin}. */
  public String namespace() {
    return namespace;
  }

  /** The error's {@code data}, or a missing node when the server sent none. */
  public JsonNode data() {
    return data;
  }
}

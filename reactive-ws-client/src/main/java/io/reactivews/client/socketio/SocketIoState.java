package io.reactivews.client.socketio;

import java.util.Objects;

/**
 * Where a namespace {@link SocketIoSession} is.
 *
 * <pre>
 * CONNECTING --CONNECT--> CONNECTED --connection lost--> DISCONNECTED --reconnected--> CONNECTED
 *     |                       |  emits wait (or are refused) while DISCONNECTED
 *     +--CONNECT_ERROR--> CLOSED(cause)
 * CONNECTED --server's DISCONNECT--> CLOSED(io server disconnect) --reconnect()--> CONNECTING
 * any --disconnect(), or the connection ends for good--> CLOSED
 * </pre>
 *
 * <pre>{@code
 * session.states().subscribe(state -> {
 *   if (state.phase() == SocketIoState.Phase.DISCONNECTED) {
 *     hud.show("reconnecting: " + state.cause().getMessage());
 *   }
 * });
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param cause why: the lost connection for DISCONNECTED; for CLOSED what ended it, or null
 *     after {@link SocketIoSession#disconnect()}
 */
public record SocketIoState(Phase phase, Throwable cause) {

  /** The phases of a namespace. */
  public enum Phase {
    /** Asking the server to connect the namespace. */
    CONNECTING,
    /** The server accepted the namespace: events flow. */
    CONNECTED,
    /** The connection was lost; the namespace reconnects with it. */
    DISCONNECTED,
    /** Ended: only {@link SocketIoSession#reconnect()} after a server disconnect revives it. */
    CLOSED
  }

  static final SocketIoState CONNECTING = new SocketIoState(Phase.CONNECTING, null);
  static final SocketIoState CONNECTED = new SocketIoState(Phase.CONNECTED, null);

  public SocketIoState {
    Objects.requireNonNull(phase, "phase");
  }

  public boolean isConnected() {
    return phase == Phase.CONNECTED;
  }

  @Override
  public String toString() {
    return cause == null ? phase.name() : phase + "(" + cause.getMessage() + ")";
  }
}

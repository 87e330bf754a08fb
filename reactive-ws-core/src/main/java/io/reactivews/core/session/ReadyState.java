package io.reactivews.core.session;

/**
 * Where a session is in its life, with the names browsers use for {@code WebSocket.readyState}.
 *
 * <pre>
 * CONNECTING --handshake done--> OPEN --close sent or received--> CLOSING --TCP closed--> CLOSED
 * </pre>
 *
 * A connection that breaks goes straight to CLOSED from any state.
 */
public enum ReadyState {
  /** The opening handshake is in progress. */
  CONNECTING,
  /** Messages flow both ways. */
  OPEN,
  /** A close frame was sent or received; no new messages may be sent. */
  CLOSING,
  /** The connection is closed; {@code closeStatus()} has resolved. */
  CLOSED
}

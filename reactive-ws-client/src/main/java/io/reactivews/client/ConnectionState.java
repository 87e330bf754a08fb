package io.reactivews.client;

import java.util.Objects;

/**
 * Where a {@link ReconnectingSession} is: connecting for the first time, open, waiting for or
 * making reconnection attempt N, or closed for good.
 *
 * <pre>
 * CONNECTING --101--> OPEN --connection lost--> RECONNECTING(1) --101--> OPEN ...
 *     |                 |                          |  failed again: RECONNECTING(2) ...
 *     +--failed--> RECONNECTING(1)                 +--retries exhausted--> CLOSED(cause)
 * any state --close() or a final close code--> CLOSED
 * </pre>
 *
 * <p>Immutable.
 */
public final class ConnectionState {

  /** The phases; {@link #attempt()} numbers the reconnection attempts. */
  public enum Phase {
    /** The first connection is being opened. */
    CONNECTING,
    /** A session is open, its hook done: messages flow. */
    OPEN,
    /** The connection failed or was lost; attempt {@link #attempt()} is waiting or running. */
    RECONNECTING,
    /** Stopped for good. */
    CLOSED
  }

  static final ConnectionState CONNECTING = new ConnectionState(Phase.CONNECTING, 0, null);
  static final ConnectionState OPEN = new ConnectionState(Phase.OPEN, 0, null);

  private final Phase phase;
  private final long attempt;
  private final Throwable cause;

  private ConnectionState(Phase phase, long attempt, Throwable cause) {
    this.phase = phase;
    this.attempt = attempt;
    this.cause = cause;
  }

  static ConnectionState reconnecting(long attempt, Throwable cause) {
    return new ConnectionState(Phase.RECONNECTING, attempt, cause);
  }

  static ConnectionState closed(Throwable cause) {
    return new ConnectionState(Phase.CLOSED, 0, cause);
  }

  public Phase phase() {
    return phase;
  }

  /** For {@link Phase#RECONNECTING}: 1 for the first attempt since the last open; else 0. */
  public long attempt() {
    return attempt;
  }

  /**
   * Why: for {@link Phase#RECONNECTING}, the failure that ended the last try or connection; for
   * {@link Phase#CLOSED}, what stopped it (retries exhausted, or a {@link
   * io.reactivews.core.WebSocketException} with a final close code), or null after {@code
   * close()}.
   */
  public Throwable cause() {
    return cause;
  }

  public boolean isOpen() {
    return phase == Phase.OPEN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionState other && other.phase == phase && other.attempt == attempt
        && Objects.equals(other.cause, cause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, attempt);
  }

  @Override
  public String toString() {
    return switch (phase) {
      case RECONNECTING -> "RECONNECTING(attempt " + attempt + ")";
      case CLOSED -> cause == null ? "CLOSED" : "CLOSED(" + cause.getMessage() + ")";
      default -> phase.name();
    };
  }
}

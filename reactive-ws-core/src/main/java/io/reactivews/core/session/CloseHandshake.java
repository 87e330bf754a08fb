package io.reactivews.core.session;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.SessionProbe.Initiator;
import java.time.Duration;
import reactor.util.annotation.Nullable;

/**
 * How a connection ends (RFC 6455 section 7), decided in one place with no I/O: the session
 * reports what happened (events), and does what this answers ({@link Actions}); the outbound
 * queue and the inbound bridge ask it whether messages may still be sent and how the messages
 * end. Nothing else keeps a copy of the close state, but for the outbound queue's mirror of
 * {@link #isOpen()}, lowered as the close frame goes.
 *
 * <pre>
 * OPEN --close requested, failed--> CLOSE_SENT --close frame received--> CLOSE_RECEIVED
 *   |                                                                          ^
 *   +----------------- close frame received (answered at once) ----------------+
 *
 * any state --connection closed, and every frame read before it handled--> CLOSED
 * </pre>
 *
 * <p>The first failure, close frame or close timeout decides the final status; a connection that
 * closes before any of them ends with 1006. One status, decided here, is what {@code
 * closeStatus()} emits and what ends the application's messages.
 *
 * <p>A connection can close (the peer's end of stream makes Netty close it) while frames it
 * delivered still wait for the application to ask for them, the peer's close frame among them.
 * If someone reads, the session ends once they are handled, or when the close timer fires, so a
 * late reader gets the messages and the peer's code rather than 1006; nothing is sent meanwhile.
 *
 * <p>Whoever closes first sends a close frame; the other answers with its own. Once our frame is
 * written and the peer's has arrived (or we failed the connection, section 7.1.7, which waits for
 * nothing), a server half-closes TCP (section 7.1.1: the server closes first). Both sides then
 * read until the peer's end of stream, bounded by the close timer, before closing the
 * connection: closing with unread input sends a reset, which can destroy the close frame in
 * flight. Every action is asked for at most once.
 *
 * <p>Thread-safe: events are serialized by this object's lock; {@link #isOpen()} and {@link
 * #state()} read one volatile field, so the send path never takes the lock.
 */
final class CloseHandshake {

  /** Where the handshake is. */
  enum State {
    /** Messages flow both ways. */
    OPEN,
    /** Our close frame is sent (or queued); the peer's has not arrived. */
    CLOSE_SENT,
    /** The peer's close frame arrived, and ours is sent (or queued) in answer. */
    CLOSE_RECEIVED,
    /** The connection is closed; the status is final. */
    CLOSED
  }

  /**
   * What the session must do after an event, in this order; empty fields mean nothing to do.
   *
   * @param sendClose the close frame's status to send, then start the close timer
   * @param discardQueued drop the messages queued ahead of that close frame
   * @param halfClose end our side of TCP (a FIN), reading on
   * @param closeConnection stop reading: close the connection both ways, now
   * @param end the connection is over: end the session with this status
   * @param awaitInput the connection is closed, but frames read before wait to be handled: start
   *     the close timer, which bounds the wait for them
   */
  record Actions(@Nullable CloseStatus sendClose, boolean discardQueued, boolean halfClose,
      boolean closeConnection, @Nullable CloseStatus end, boolean awaitInput) {

    /** Nothing to do. */
    static final Actions NONE = new Actions(null, false, false, false, null, false);

    boolean isEmpty() {
      return equals(NONE);
    }
  }

  private static final String NO_CLOSE_FRAME = "connection closed without a close frame";

  private final Role role;
  private final Duration closeTimeout;

  // Written under the lock before "state", so a reader of "state" sees them too.
  private CloseStatus sent;
  private boolean discardQueued;
  private CloseStatus received;
  private boolean failing;
  /** How the connection ends: set by the first failure, close frame or timeout. */
  private CloseStatus outcome;
  private boolean flushed;
  private boolean halfClosed;
  private boolean closingConnection;
  /** The connection closed while frames read before it waited to be handled. */
  private volatile boolean connectionGone;
  /** Every frame read was handled: the messages ended. */
  private boolean inputHandled;
  private CloseStatus end;
  /** Who sent the first close frame; read by meters once the connection is closed. */
  private Initiator initiator = Initiator.NONE;
  private volatile State state = State.OPEN;

  /**
   * A handshake for one connection.
   *
   * @param role a server half-closes TCP once the close frames were exchanged; a client waits
   * @param closeTimeout only named in the status of a peer that never answered
   */
  CloseHandshake(Role role, Duration closeTimeout) {
    this.role = role;
    this.closeTimeout = closeTimeout;
  }

  /** Where the handshake is now. */
  State state() {
    return state;
  }

  /** Whether messages and pings may still be sent: no close frame was sent. */
  boolean isOpen() {
    return state == State.OPEN;
  }

  /** Whether the connection is closed. */
  boolean isClosed() {
    return state == State.CLOSED;
  }

  /** Who sent the first close frame, as far as it is known. */
  synchronized Initiator initiator() {
    return initiator;
  }

  /** The browsers' name for the current state. */
  ReadyState readyState() {
    return switch (state) {
      case OPEN -> connectionGone ? ReadyState.CLOSING : ReadyState.OPEN;
      case CLOSE_SENT, CLOSE_RECEIVED -> ReadyState.CLOSING;
      case CLOSED -> ReadyState.CLOSED;
    };
  }

  /**
   * The close frame's status once one was sent, else null. Set once, before the state leaves
   * OPEN: a reader that saw {@link #isOpen()} false reads it without the lock.
   */
  @Nullable
  CloseStatus sent() {
    return sent;
  }

  /**
   * Whether messages queued ahead of our close frame are dropped rather than sent; like {@link
   * #sent()}, set once before the state leaves OPEN.
   */
  boolean discardsQueued() {
    return discardQueued;
  }

  /**
   * The status the connection is ending with, as far as it is known: the final one once closed,
   * else what failed it, what the peer sent, or what we sent; null while open.
   */
  @Nullable
  synchronized CloseStatus ending() {
    if (end != null) {
      return end;
    }
    return outcome != null ? outcome : sent;
  }

  /**
   * How the application's messages end, asked when the peer's stream of them ends: null for a
   * clean end (the peer's close frame), else the error that tells why they stopped.
   */
  @Nullable
  WebSocketException endOfMessages() {
    CloseStatus status = messagesEndWith();
    return status == null ? null : new WebSocketException(status, status.reason());
  }

  /** The status of {@link #endOfMessages()}'s error: null for a clean end. */
  @Nullable
  synchronized CloseStatus messagesEndWith() {
    CloseStatus status = outcome();
    return status == received ? null : status;
  }

  /**
   * We close with {@code status} (the application, the handler's end, the idle timer); nothing
   * to do once the connection is gone.
   */
  synchronized Actions closeRequested(CloseStatus status) {
    if (state != State.OPEN || connectionGone) {
      return Actions.NONE;
    }
    return sendClose(status, false, State.CLOSE_SENT);
  }

  /**
   * We fail the connection (section 7.1.7): a close frame with {@code status} goes ahead of any
   * queued message, and nothing is awaited from the peer before the half-close.
   */
  synchronized Actions failed(CloseStatus status) {
    if (state == State.CLOSED) {
      return Actions.NONE;
    }
    failing = true;
    decide(status);
    if (connectionGone) {
      return Actions.NONE; // nobody to tell
    }
    if (state == State.OPEN) {
      return sendClose(status, true, State.CLOSE_SENT);
    }
    return halfCloseIfDue();
  }

  /**
   * The input broke with nothing to tell the peer (the stream ended inside a frame, a read
   * failed): stop reading; the connection ends with {@code status}.
   */
  synchronized Actions inputBroken(CloseStatus status) {
    if (state == State.CLOSED) {
      return Actions.NONE;
    }
    decide(status);
    return closeConnection();
  }

  /**
   * The peer's close frame, valid, carrying {@code status}: answered with its code, unless it was
   * read only after the connection closed.
   */
  synchronized Actions closeFrameReceived(CloseStatus status) {
    if (received != null || state == State.CLOSED) {
      return Actions.NONE;
    }
    received = status;
    decide(status);
    if (state == State.OPEN) {
      initiator = Initiator.REMOTE;
    }
    if (connectionGone) {
      state = State.CLOSE_RECEIVED;
      return Actions.NONE;
    }
    if (state == State.OPEN) {
      // Echo the code, as section 5.5.1 suggests; no code received, none echoed.
      CloseStatus echo = status.code() == CloseStatus.NO_STATUS_RECEIVED.code()
          ? status : CloseStatus.describing(status.code(), "");
      return sendClose(echo, false, State.CLOSE_RECEIVED);
    }
    state = State.CLOSE_RECEIVED;
    return halfCloseIfDue();
  }

  /** Our close frame, and everything before it, was written. */
  synchronized Actions closeFrameFlushed() {
    if (sent == null || flushed || state == State.CLOSED) {
      return Actions.NONE;
    }
    flushed = true;
    return halfCloseIfDue();
  }

  /** Writing failed: nothing more can be sent, so stop. */
  synchronized Actions outputBroken() {
    return state == State.CLOSED ? Actions.NONE : closeConnection();
  }

  /** The peer ended its stream: nothing more will come, so stop. */
  synchronized Actions inputEnded() {
    return state == State.CLOSED ? Actions.NONE : closeConnection();
  }

  /**
   * The close timer fired: the peer did not finish the handshake in time, or what it sent before
   * the connection closed was not read in time.
   */
  synchronized Actions closeTimedOut() {
    if (state == State.CLOSED) {
      return Actions.NONE;
    }
    if (connectionGone) {
      decide(CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(),
          "connection closed; what the peer sent before was not read within "
              + closeTimeout.toMillis() + " ms"));
      return closed();
    }
    decide(CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(),
        "no close frame from the peer within " + closeTimeout.toMillis() + " ms"));
    return closeConnection();
  }

  /**
   * The connection is closed, by either side. The status is final now, unless {@code
   * inputWillBeRead} (someone reads the messages) and frames read before still wait to be
   * handled: then once they are ({@link #inputHandled()}), or when the close timer fires.
   */
  synchronized Actions connectionClosed(boolean inputWillBeRead) {
    if (state == State.CLOSED || connectionGone) {
      return Actions.NONE;
    }
    if (inputWillBeRead && !inputHandled) {
      connectionGone = true;
      return new Actions(null, false, false, false, null, true);
    }
    return closed();
  }

  /** Every frame read was handled: the messages ended. A closed connection may end now. */
  synchronized Actions inputHandled() {
    inputHandled = true;
    return connectionGone && state != State.CLOSED ? closed() : Actions.NONE;
  }

  private Actions closed() {
    end = outcome();
    state = State.CLOSED;
    return new Actions(null, false, false, false, end, false);
  }

  private Actions sendClose(CloseStatus status, boolean discard, State next) {
    if (next == State.CLOSE_SENT) {
      initiator = Initiator.LOCAL;
    }
    sent = status;
    discardQueued = discard;
    state = next;
    Actions halfClose = halfCloseIfDue();
    return new Actions(status, discard, halfClose.halfClose(), false, null, false);
  }

  /**
   * A server's FIN once our close frame is written and the peer's arrived, or we failed; not
   * once the connection is being closed anyway, or is gone.
   */
  private Actions halfCloseIfDue() {
    if (role != Role.SERVER || halfClosed || closingConnection || connectionGone || !flushed
        || (received == null && !failing)) {
      return Actions.NONE;
    }
    halfClosed = true;
    return new Actions(null, false, true, false, null, false);
  }

  private Actions closeConnection() {
    if (closingConnection) {
      return Actions.NONE;
    }
    closingConnection = true;
    return new Actions(null, false, false, true, null, false);
  }

  /** The first failure, close frame or timeout says how the connection ends; later ones do not. */
  private void decide(CloseStatus status) {
    if (outcome == null) {
      outcome = status;
    }
  }

  /** The final status: as decided, or a connection that ended with nothing said. */
  private CloseStatus outcome() {
    return outcome != null ? outcome
        : CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(), NO_CLOSE_FRAME);
  }

  @Override
  public synchronized String toString() {
    return "CloseHandshake[" + state + (sent != null ? " sent " + sent : "")
        + (received != null ? " received " + received : "")
        + (outcome != null ? " ending " + outcome : "") + "]";
  }
}

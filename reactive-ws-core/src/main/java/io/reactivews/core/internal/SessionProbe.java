package io.reactivews.core.internal;

import io.reactivews.core.close.CloseStatus;

/**
 * What a session tells about itself as it runs, for meters: one probe per route (server) or per
 * client, shared by its sessions. {@link #NONE} is the probe of a server or client given no
 * meter registry; it does nothing, and names no meter library, so none is loaded.
 *
 * <p>{@link #opened} comes first and {@link #ended} last, exactly once each per session: the
 * session calls {@code ended} from the one place its close handshake ends it, whatever the path
 * (close, abort, timeout, failure, shutdown), so gauges that count between them come back to 0.
 *
 * <p>Implementations are thread-safe and cheap: the message methods run on the event loop for
 * every data message.
 */
public interface SessionProbe {

  /** Records nothing. */
  SessionProbe NONE = new SessionProbe() { };

  /** Who sent the first close frame. */
  enum Initiator {
    /** We did: the application, the handler's end, a timer, or a failure on our side. */
    LOCAL,
    /** The peer did. */
    REMOTE,
    /** Nobody: the connection ended without a close frame. */
    NONE;

    /** The tag value: {@code local}, {@code remote} or {@code none}. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The session started; its handshake is done. */
  default void opened(DrivenSession session) {}

  /** A data message of {@code bytes} payload bytes arrived (control frames are not counted). */
  default void received(int bytes) {}

  /** A data message of {@code bytes} payload bytes went to the transport. */
  default void sent(int bytes) {}

  /** {@code tryEmit} refused a message: the outbound queue was full. */
  default void overflowed() {}

  /** We failed the connection for the peer's fault (section 7.1.7) with {@code status}. */
  default void protocolError(CloseStatus status) {}

  /** The peer did not answer a keepalive ping in time. */
  default void keepAliveTimedOut() {}

  /**
   * The session ended, after {@code nanos} open, with its final status.
   *
   * @param closedBy who sent the first close frame
   */
  default void ended(DrivenSession session, CloseStatus status, Initiator closedBy, long nanos) {}
}

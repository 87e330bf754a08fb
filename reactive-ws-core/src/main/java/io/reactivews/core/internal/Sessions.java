package io.reactivews.core.internal;

import io.reactivews.core.Role;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.core.transport.Transport;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Opens sessions for the server and the client. The implementation stays package-private in
 * the session package, which applications can read; it hands its factory over here when its
 * class is initialized (the JDK's "shared secrets" pattern), so only the modules this package is
 * exported to can open a session.
 */
public final class Sessions {

  /** Opens a session over a transport whose handshake is done. */
  @FunctionalInterface
  public interface Opener {
    DrivenSession open(Transport transport, Role role, SessionOptions options,
        HandshakeInfo handshake, PerMessageDeflate deflate, SessionProbe probe);
  }

  // The class whose initializer registers the opener; a test opens a session through here.
  private static final String IMPLEMENTATION = "io.reactivews.core.session.DefaultWebSocketSession";

  private static volatile Opener opener;

  private Sessions() {}

  /** Called once, by the session implementation's class initializer. */
  public static void register(Opener implementation) {
    if (opener != null) {
      throw new IllegalStateException("a session implementation is registered already");
    }
    opener = implementation;
  }

  /** A session over a transport whose handshake is done; it starts reading and writing at once. */
  public static DrivenSession open(
      Transport transport, Role role, SessionOptions options, HandshakeInfo handshake) {
    return open(transport, role, options, handshake, null, SessionProbe.NONE);
  }

  /**
   * Opens a session that runs permessage-deflate as negotiated ({@code deflate} null for none);
   * the session releases the zlib memory it borrows when the connection closes.
   */
  public static DrivenSession open(Transport transport, Role role, SessionOptions options,
      HandshakeInfo handshake, PerMessageDeflate deflate) {
    return open(transport, role, options, handshake, deflate, SessionProbe.NONE);
  }

  /**
   * As {@link #open(Transport, Role, SessionOptions, HandshakeInfo, PerMessageDeflate)}, telling
   * {@code probe} (meters) what the session does.
   */
  public static DrivenSession open(Transport transport, Role role, SessionOptions options,
      HandshakeInfo handshake, PerMessageDeflate deflate, SessionProbe probe) {
    Opener o = opener;
    if (o == null) {
      try {
        Class.forName(IMPLEMENTATION, true, Sessions.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new LinkageError("no session implementation: " + IMPLEMENTATION, e);
      }
      o = opener;
    }
    return o.open(transport, role, options, handshake, deflate, probe);
  }

  /** The thread {@code session} reads and writes on, or null: see {@link DrivenSession#executor}. */
  public static Executor executorOf(WebSocketSession session) {
    return session instanceof DrivenSession driven ? driven.executor() : null;
  }

  /**
   * Sends prepared messages to any session: shared frames to one of ours, and to any other
   * implementation (a wrapper, a test double) each message decoded and sent as usual.
   */
  public static Mono<Void> sendPrepared(
      WebSocketSession session, Publisher<PreparedMessage> messages) {
    if (session instanceof DrivenSession driven) {
      return driven.sendPrepared(messages);
    }
    return session.send(Flux.from(messages).map(prepared -> {
      try {
        return prepared.message();
      } finally {
        prepared.release();
      }
    }));
  }
}

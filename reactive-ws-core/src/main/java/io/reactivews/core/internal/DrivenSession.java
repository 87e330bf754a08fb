package io.reactivews.core.internal;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.session.WebSocketSession;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A session as the server and the client drive it: what applications see, plus running their
 * handler and writing frames encoded once for many sessions. Applications only ever see the
 * {@link WebSocketSession} part.
 */
public interface DrivenSession extends WebSocketSession {

  /**
   * Runs an application handler: the session closes with 1000 when its publisher completes and
   * with 1011 when it fails or throws, and the handler is cancelled when the connection closes.
   *
   * @return completes when the connection is closed
   */
  Mono<Void> run(Function<? super WebSocketSession, ? extends Publisher<Void>> handler);

  /**
   * Sends messages encoded once for many sessions, asking for one more only when the previous
   * one was handed to the network: the source keeps what waits, so it can apply its own overflow
   * policy to a slow peer. Each element's reference passes to the session, which writes the
   * shared frame (or, for a client, a masked copy) or releases it if the session closes first.
   * The {@code Mono} behaves as {@link #send(Publisher)}'s.
   */
  Mono<Void> sendPrepared(Publisher<PreparedMessage> messages);

  /**
   * The thread the session's connection reads and writes on, or {@code null} when it has none:
   * work for the session done there needs no hand-over between threads.
   */
  default Executor executor() {
    return null;
  }

  /**
   * Calls {@code ended} with this session and its status once the session ends, or at once if it
   * has: what subscribing to {@link #closeStatus()} does, without a subscriber per session, for
   * whoever watches every session (a server's registry) with one listener for all of them.
   */
  void whenEnded(BiConsumer<? super DrivenSession, ? super CloseStatus> ended);

  /** Payload bytes of the messages {@link #queuedMessages()} counts (metrics). */
  default long queuedBytes() {
    return 0;
  }
}

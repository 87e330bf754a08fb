package io.reactivews.core.session;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.message.Message;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One WebSocket connection, as servers and clients hand it to applications: messages in as a
 * {@code Flux}, messages out through {@link #send(Publisher)} or the {@link #tryEmit(Message)}
 * sink, and the close handshake and keepalive handled underneath.
 *
 * <pre>{@code
 * // echo, with backpressure from end to end
 * session -> session.send(session.receive());
 *
 * // push from anywhere: a game loop, a timer, another session
 * Sinks.EmitResult r = session.tryEmit(Message.text(scoreJson));
 * if (r == Sinks.EmitResult.FAIL_OVERFLOW) { ... the queue is full right now ... }
 * }</pre>
 *
 * <p><b>Backpressure.</b> {@code receive()} reads from the network only as fast as its
 * subscriber requests. {@code send} asks its publisher for more only as frames are written.
 * {@code tryEmit} never blocks and never queues past {@code outboundQueueMessages} or {@code
 * outboundQueueBytes}: it reports {@code FAIL_OVERFLOW} instead.
 *
 * <p>Thread-safe.
 */
public interface WebSocketSession {

  /**
   * An id no other session has, in this process or any other (a random part drawn once per
   * process, then a counter), so that it names the session across a cluster's nodes. URL-safe.
   * Not a secret: the next session of the same process has the next count.
   */
  String id();

  /**
   * Messages from the peer. One subscriber. Completes when the peer's close frame arrives;
   * errors with a {@link io.reactivews.core.WebSocketException} when the connection fails (a
   * protocol violation, a message too big, a dead peer, or a connection lost without a close).
   * Cancelling does not close the session: later messages are dropped. Messages the peer sent
   * before its connection closed stay readable: once {@code receive()} was called, the session
   * waits for them to be read (up to the close timeout) before it settles its close status, so a
   * reader that comes a moment late still sees the peer's last words and its close code.
   */
  Flux<Message> receive();

  /**
   * Sends every message of {@code messages}, asking for more as earlier ones are written. The
   * {@code Mono} completes when all were handed to the network, and errors if the session
   * closed first. Several sends may run at once; their messages interleave whole.
   */
  Mono<Void> send(Publisher<? extends Message> messages);

  /**
   * Queues one message from any thread, without blocking: {@code OK}, {@code FAIL_OVERFLOW} when
   * the outbound queue is full, or {@code FAIL_TERMINATED} once the session is closing. It does
   * not throw: a message whose frame cannot be made (no memory left for its buffer) fails the
   * session with 1011, its reason naming the error, and is answered {@code FAIL_TERMINATED}.
   *
   * <p>{@code FAIL_OVERFLOW} says the queue is full now, which a burst emitted from another
   * thread before this session's event loop had a turn can cause: it is not a verdict on the
   * peer. To close peers that are too slow, and only those, send through the server's {@code
   * Broadcast} with {@code OverflowPolicy.disconnect}, which judges by time and bytes.
   */
  Sinks.EmitResult tryEmit(Message message);

  /** Messages queued by {@link #tryEmit} and not yet written. */
  int queuedMessages();

  /** Starts the close handshake with 1000; completes when the connection is closed. */
  default Mono<Void> close() {
    return close(CloseStatus.NORMAL);
  }

  /**
   * Starts the close handshake with {@code status} after the messages already queued; completes
   * when the connection is closed (the peer answered, or the close timeout forced it). A reason
   * longer than a close frame holds is cut to its first 123 bytes, between characters ({@link
   * CloseStatus#fitReason}). Fails with an {@code IllegalArgumentException}, closing nothing, if
   * the code may not be sent ({@link CloseStatus#isValidOnWire}), such as 1005 or 1006.
   */
  Mono<Void> close(CloseStatus status);

  /**
   * How the connection ended, once it has: the peer's close code (1005 if its close frame had
   * none); the code we failed the connection with (1002, 1007, 1009, 1011...) with the reason in
   * words; or 1006 if the connection ended without a close frame. Whichever came first decides.
   */
  Mono<CloseStatus> closeStatus();

  ReadyState state();

  /** The current state, then each change, completing at {@link ReadyState#CLOSED}. */
  Flux<ReadyState> states();

  default boolean isOpen() {
    return state() == ReadyState.OPEN;
  }

  /** Completes when the connection is closed. */
  Mono<Void> onClose();

  /** The handshake that opened this session: path, query, headers, subprotocol. */
  HandshakeInfo handshake();

  /** The peer's address, or {@code null} when there is none. */
  SocketAddress remoteAddress();

  /** Application state attached to this session; thread-safe. */
  Map<String, Object> attributes();

  /** The permessage-deflate parameters agreed in the handshake; empty when not negotiated. */
  default Optional<DeflateParameters> compression() {
    return Optional.empty();
  }

  /** This session's compression counters; empty when permessage-deflate was not negotiated. */
  default Optional<CompressionStats> compressionStats() {
    return Optional.empty();
  }
}

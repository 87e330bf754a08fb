package io.reactivews.client;

import io.reactivews.core.handshake.WebSocketUri;
import io.reactivews.core.session.WebSocketSession;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * How a {@link ReconnectingSession} behaves: when to retry, how many outbound messages to hold
 * while disconnected, what to do on each new session, and which close codes end it for good.
 * Immutable: each setter returns a copy; {@link #start()} starts a connection with it.
 *
 * <pre>{@code
 * ReconnectingSession live = client.reconnecting("wss://events.example.org/ws")
 *     .retry(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(5))
 *         .maxBackoff(Duration.ofSeconds(60)).transientErrors(true))
 *     .queueLimit(500)
 *     .onSession(session -> session.send(Mono.just(Message.text(subscribeJson))))
 *     .finalCloseCodes(4001, 1008)
 *     .start();
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>retry</td><td>forever, backoff from 1 s doubling to 30 s, jitter 0.5, attempts
 *       counted since the last open</td></tr>
 *   <tr><td>queueLimit</td><td>1024 messages</td></tr>
 *   <tr><td>onSession</td><td>nothing</td></tr>
 *   <tr><td>finalCloseCodes</td><td>none: every close is followed by a reconnection</td></tr>
 * </table>
 */
public final class ReconnectSpec {

  static final Retry DEFAULT_RETRY = Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
      .maxBackoff(Duration.ofSeconds(30))
      .jitter(0.5)
      .transientErrors(true);

  final ClientConnector connector;
  final WebSocketUri uri;
  final Retry retry;
  final int queueLimit;
  final Function<? super WebSocketSession, ? extends Publisher<Void>> onSession;
  final Set<Integer> finalCloseCodes;

  ReconnectSpec(ClientConnector connector, WebSocketUri uri) {
    this(connector, uri, DEFAULT_RETRY, 1024, session -> Mono.empty(), Set.of());
  }

  private ReconnectSpec(ClientConnector connector, WebSocketUri uri, Retry retry, int queueLimit,
      Function<? super WebSocketSession, ? extends Publisher<Void>> onSession,
      Set<Integer> finalCloseCodes) {
    this.connector = connector;
    this.uri = uri;
    this.retry = retry;
    this.queueLimit = queueLimit;
    this.onSession = onSession;
    this.finalCloseCodes = finalCloseCodes;
  }

  /**
   * The retry a spec starts with: forever, backoff from 1 s doubling to 30 s, jitter 0.5,
   * attempts counted since the last open. For protocols built on a reconnecting session that
   * want the same default.
   */
  public static Retry defaultRetry() {
    return DEFAULT_RETRY;
  }

  /**
   * When and how often to try again after a failed attempt or a lost connection; an exhausted
   * retry closes the connection for good. Errors it sees are the network's, {@link
   * io.reactivews.core.handshake.HandshakeException}s, or {@link
   * io.reactivews.core.WebSocketException}s carrying the close status of a lost session, so a
   * {@code filter} can stop on some of them. Use {@code transientErrors(true)} on a backoff so
   * that its attempts count from the last successful open.
   */
  public ReconnectSpec retry(Retry newRetry) {
    Objects.requireNonNull(newRetry, "retry");
    return new ReconnectSpec(connector, uri, newRetry, queueLimit, onSession, finalCloseCodes);
  }

  /** Outbound messages held (while disconnected, or while the network is slow); at least 1. */
  public ReconnectSpec queueLimit(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("queueLimit must be positive: " + messages);
    }
    return new ReconnectSpec(connector, uri, retry, messages, onSession, finalCloseCodes);
  }

  /**
   * Runs on each new session before the queued messages are sent: authenticate, resubscribe.
   * Send with {@code session.send(...)} and complete when done; do not call {@code receive()}
   * (replies arrive through {@link ReconnectingSession#receive()}). If it fails, the session is
   * closed with 1011 and the failure goes to the retry.
   */
  public ReconnectSpec onSession(
      Function<? super WebSocketSession, ? extends Publisher<Void>> hook) {
    Objects.requireNonNull(hook, "hook");
    return new ReconnectSpec(connector, uri, retry, queueLimit, hook, finalCloseCodes);
  }

  /** Close codes after which it stops instead of reconnecting, such as 4001 "logged out". */
  public ReconnectSpec finalCloseCodes(int... codes) {
    Set<Integer> set = new java.util.HashSet<>();
    for (int code : codes) {
      if (code < 1000 || code > 4999) {
        throw new IllegalArgumentException("not a close code: " + code);
      }
      set.add(code);
    }
    return new ReconnectSpec(connector, uri, retry, queueLimit, onSession, Set.copyOf(set));
  }

  /** Starts connecting; the handle runs until closed, a final close code, or exhausted retries. */
  public ReconnectingSession start() {
    return ReconnectingSession.start(this);
  }
}

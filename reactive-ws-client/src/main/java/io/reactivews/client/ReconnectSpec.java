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
 * while disconnected, what to do on each new session, how long a session must last to count as
 * a success, and which close codes and handshake refusals end it for good.
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
 *   <tr><td>finalHandshakeStatuses</td><td>400, 401, 403, 404, 405, 410 and 426: refusals that
 *       asking again with the same request will not change</td></tr>
 *   <tr><td>stableAfter</td><td>5 s: a session that closes sooner counts as a failed attempt,
 *       so the backoff keeps growing against a server that accepts and closes at once</td></tr>
 * </table>
 */
public final class ReconnectSpec {

  /** Refusals that the same request, asked again, will get again. */
  static final Set<Integer> DEFAULT_FINAL_STATUSES = Set.of(400, 401, 403, 404, 405, 410, 426);

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
  final Set<Integer> finalHandshakeStatuses;
  final Duration stableAfter;

  ReconnectSpec(ClientConnector connector, WebSocketUri uri) {
    this(connector, uri, DEFAULT_RETRY, 1024, session -> Mono.empty(), Set.of(),
        DEFAULT_FINAL_STATUSES, Duration.ofSeconds(5));
  }

  private ReconnectSpec(ClientConnector connector, WebSocketUri uri, Retry retry, int queueLimit,
      Function<? super WebSocketSession, ? extends Publisher<Void>> onSession,
      Set<Integer> finalCloseCodes, Set<Integer> finalHandshakeStatuses, Duration stableAfter) {
    this.connector = connector;
    this.uri = uri;
    this.retry = retry;
    this.queueLimit = queueLimit;
    this.onSession = onSession;
    this.finalCloseCodes = finalCloseCodes;
    this.finalHandshakeStatuses = finalHandshakeStatuses;
    this.stableAfter = stableAfter;
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
   * that its attempts count from the last session that stayed open {@link #stableAfter}.
   */
  public ReconnectSpec retry(Retry newRetry) {
    Objects.requireNonNull(newRetry, "retry");
    return new ReconnectSpec(connector, uri, newRetry, queueLimit, onSession, finalCloseCodes,
        finalHandshakeStatuses, stableAfter);
  }

  /** Outbound messages held (while disconnected, or while the network is slow); at least 1. */
  public ReconnectSpec queueLimit(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("queueLimit must be positive: " + messages);
    }
    return new ReconnectSpec(connector, uri, retry, messages, onSession, finalCloseCodes,
        finalHandshakeStatuses, stableAfter);
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
    return new ReconnectSpec(connector, uri, retry, queueLimit, hook, finalCloseCodes,
        finalHandshakeStatuses, stableAfter);
  }

  /** Close codes after which it stops instead of reconnecting, such as 4001 "logged out". */
  public ReconnectSpec finalCloseCodes(int... codes) {
    return new ReconnectSpec(connector, uri, retry, queueLimit, onSession,
        setOf(codes, 1000, 4999, "not a close code: "), finalHandshakeStatuses, stableAfter);
  }

  /**
   * Handshake refusals (HTTP statuses) after which it stops instead of trying again, the refusal
   * as the closed state's cause; none to retry every refusal. By default 400, 401, 403, 404, 405,
   * 410 and 426, which the same request gets again: an application that can mend it (a fresh
   * token, say) starts a new handle. Unavailable (503), too many requests (429) and timeouts are
   * retried.
   */
  public ReconnectSpec finalHandshakeStatuses(int... statuses) {
    return new ReconnectSpec(connector, uri, retry, queueLimit, onSession, finalCloseCodes,
        setOf(statuses, 100, 599, "not an HTTP status: "), stableAfter);
  }

  /** {@code values} as a set, each checked to lie in {@code [min, max]}. */
  private static Set<Integer> setOf(int[] values, int min, int max, String refusal) {
    Set<Integer> set = new java.util.HashSet<>();
    for (int value : values) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(refusal + value);
      }
      set.add(value);
    }
    return Set.copyOf(set);
  }

  /**
   * How long a session must stay open to count as a success, after which the retry's attempts
   * count from the start again ({@code transientErrors(true)}); one that closes sooner counts as
   * one more failed attempt, so a server that accepts and closes at once sees the backoff grow.
   * Zero counts every open as a success.
   */
  public ReconnectSpec stableAfter(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("stableAfter must not be negative: " + duration);
    }
    return new ReconnectSpec(connector, uri, retry, queueLimit, onSession, finalCloseCodes,
        finalHandshakeStatuses, duration);
  }

  /** Starts connecting; the handle runs until closed, a final close code, or exhausted retries. */
  public ReconnectingSession start() {
    return ReconnectingSession.start(this);
  }
}

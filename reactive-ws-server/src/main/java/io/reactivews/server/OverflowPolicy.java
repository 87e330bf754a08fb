package io.reactivews.server;

import io.reactivews.core.close.CloseStatus;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What a {@link Broadcast} does for one session whose peer reads slower than messages arrive.
 * Each subscription holds its own bounded queue, in messages and in bytes (frame bytes, header
 * included); the policy says what happens when a new message does not fit:
 *
 * <table>
 *   <caption>Policies</caption>
 *   <tr><th>policy</th><th>on overflow</th><th>fits</th></tr>
 *   <tr><td>{@link #dropOldest(int)}</td><td>evicts the oldest queued messages</td>
 *       <td>event feeds where recent matters most</td></tr>
 *   <tr><td>{@link #dropNewest(int)}</td><td>refuses the new message</td>
 *       <td>feeds where the start of a story matters most</td></tr>
 *   <tr><td>{@link #latest()}</td><td>replaces the queued message: one at most</td>
 *       <td>state, such as a scoreboard: a slow viewer gets the newest state, not a
 *       backlog</td></tr>
 *   <tr><td>{@link #disconnect(CloseStatus)}</td><td>closes a session that is too slow (below)
 *       with the chosen status, typically 1008 (policy violation) or 1013 (try again later), and
 *       drops its queue</td><td>feeds that must be complete or not at all</td></tr>
 * </table>
 *
 * <p><b>Too slow</b> means one thing, whatever the policy: <em>messages have been waiting for the
 * session and its connection has taken none of them for the {@linkplain #grace(Duration) grace
 * time}, or more than {@link #maxBytes()} wait for it.</em> The connection takes a message as
 * soon as the network accepts the bytes before it (the socket is writable again), so a peer that
 * reads keeps taking, however large the burst that arrived a moment ago; a peer that stopped
 * reading takes nothing once the kernel's and Netty's buffers are full, and is judged after the
 * grace time. Until then it costs at most {@code maxBytes} (plus one message) here, besides
 * Netty's high-water mark and the kernel's socket buffer. A message count is no verdict: a burst
 * of many small messages published before the session's event loop ran says nothing of the peer.
 * {@link #disconnect(CloseStatus)} judges with a grace of {@value #DEFAULT_GRACE_SECONDS} s; the
 * other policies judge only when given a grace ({@link #grace(Duration)}), closing with
 * 1008 "slow consumer".
 *
 * <p>A message alone in the queue is accepted whatever its size, so a message larger than the
 * byte bound still gets through to a peer that keeps up; the bytes held are therefore at most the
 * larger of the bound and one message. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * OverflowPolicy.dropOldest(256).maxBytes(1 << 20);
 * OverflowPolicy.disconnect(CloseStatus.TRY_AGAIN_LATER).grace(Duration.ofSeconds(2));
 * OverflowPolicy.latest().grace(Duration.ofSeconds(30));   // close viewers that stopped reading
 * }</pre>
 */
public final class OverflowPolicy {

  /** What happens to a message that does not fit. */
  public enum Action {
    DROP_OLDEST,
    DROP_NEWEST,
    LATEST,
    DISCONNECT
  }

  /** The byte bound when none is set. */
  public static final long DEFAULT_MAX_BYTES = 4L << 20;

  /** The grace of {@link #disconnect(CloseStatus)} when none is set, in seconds. */
  public static final int DEFAULT_GRACE_SECONDS = 5;

  private static final CloseStatus SLOW = CloseStatus.of(1008, "slow consumer");

  private final Action action;
  private final int maxMessages;
  private final long maxBytes;
  private final CloseStatus closeStatus;
  private final Duration grace;
  private final Scheduler scheduler;

  private OverflowPolicy(Action action, int maxMessages, long maxBytes, CloseStatus closeStatus,
      Duration grace, Scheduler scheduler) {
    this.action = action;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.closeStatus = closeStatus;
    this.grace = grace;
    this.scheduler = scheduler;
  }

  private static OverflowPolicy of(Action action, int maxMessages, CloseStatus status,
      Duration grace) {
    return new OverflowPolicy(action, maxMessages, DEFAULT_MAX_BYTES, status, grace,
        Schedulers.parallel());
  }

  /** Queues up to {@code messages}; beyond, the oldest queued messages make room. */
  public static OverflowPolicy dropOldest(int messages) {
    return of(Action.DROP_OLDEST, positive(messages), SLOW, Duration.ZERO);
  }

  /** Queues up to {@code messages}; beyond, new messages are refused until the queue drains. */
  public static OverflowPolicy dropNewest(int messages) {
    return of(Action.DROP_NEWEST, positive(messages), SLOW, Duration.ZERO);
  }

  /** Keeps only the newest message: each arrival replaces the one still waiting. */
  public static OverflowPolicy latest() {
    return of(Action.LATEST, 1, SLOW, Duration.ZERO);
  }

  /**
   * Queues every message while the session keeps up, and closes it with {@code status} (its
   * reason defaults to "slow consumer"), dropping its queue, once it is too slow: its connection
   * took nothing for the grace time ({@value #DEFAULT_GRACE_SECONDS} s unless set) while messages
   * waited, or more than {@link #maxBytes()} wait.
   *
   * @throws IllegalArgumentException if {@code status} may not be sent in a close frame
   */
  public static OverflowPolicy disconnect(CloseStatus status) {
    return of(Action.DISCONNECT, Integer.MAX_VALUE, described(status),
        Duration.ofSeconds(DEFAULT_GRACE_SECONDS));
  }

  /**
   * Like {@link #disconnect(CloseStatus)}, and also closes the session as soon as more than
   * {@code messages} wait. A message count judges bursts, not peers: a peer that reads everything
   * can find {@code messages} waiting for it when a burst is published before its event loop
   * runs. Prefer {@link #disconnect(CloseStatus)} with a byte bound.
   *
   * @throws IllegalArgumentException if {@code status} may not be sent in a close frame
   */
  public static OverflowPolicy disconnect(int messages, CloseStatus status) {
    return of(Action.DISCONNECT, positive(messages), described(status),
        Duration.ofSeconds(DEFAULT_GRACE_SECONDS));
  }

  private static CloseStatus described(CloseStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isSendable()) {
      throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
    }
    return status.reason().isEmpty() ? status.withReason("slow consumer") : status;
  }

  /** Frame bytes the queue may hold; at least 1. Ignored by {@link #latest()}. */
  public OverflowPolicy maxBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
    }
    return new OverflowPolicy(action, maxMessages, bytes, closeStatus, grace, scheduler);
  }

  /**
   * How long the session's connection may take nothing while messages wait for it before the
   * session is closed as too slow; {@link Duration#ZERO} never judges by time. Any policy may
   * have one: a {@link #latest()} scoreboard with a grace closes viewers that stopped reading.
   */
  public OverflowPolicy grace(Duration time) {
    Objects.requireNonNull(time, "grace");
    if (time.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + time);
    }
    return new OverflowPolicy(action, maxMessages, maxBytes, closeStatus, time, scheduler);
  }

  /** Where the grace timer runs and time is read; tests pass a virtual-time scheduler. */
  public OverflowPolicy scheduler(Scheduler timers) {
    return new OverflowPolicy(action, maxMessages, maxBytes, closeStatus, grace,
        Objects.requireNonNull(timers, "scheduler"));
  }

  private static int positive(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("the queue must hold at least 1 message: " + messages);
    }
    return messages;
  }

  public Action action() {
    return action;
  }

  public int maxMessages() {
    return maxMessages;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** The status a session found too slow is closed with. */
  public CloseStatus closeStatus() {
    return closeStatus;
  }

  /** How long a session may take nothing while messages wait; zero: never judged by time. */
  public Duration grace() {
    return grace;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /** Whether a full queue closes the session rather than dropping messages. */
  boolean disconnects() {
    return action == Action.DISCONNECT;
  }

  @Override
  public String toString() {
    return "OverflowPolicy[" + action + " "
        + (maxMessages == Integer.MAX_VALUE ? "" : maxMessages + " messages, ") + maxBytes
        + " bytes" + (grace.isZero() ? "" : ", grace " + grace.toMillis() + " ms, close "
        + closeStatus.code()) + "]";
  }
}

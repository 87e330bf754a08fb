package io.reactivews.server;

import io.reactivews.core.close.CloseStatus;
import java.util.Objects;

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
 *   <tr><td>{@link #disconnect(int, CloseStatus)}</td><td>drops the queue and closes the
 *       session with the chosen status, typically 1008 (policy violation) or 1013 (try again
 *       later)</td><td>feeds that must be complete or not at all</td></tr>
 * </table>
 *
 * <p>A message alone in the queue is accepted whatever its size, so a message larger than the
 * byte bound still gets through to a peer that keeps up; the bytes held are therefore at most the
 * larger of the bound and one message. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * OverflowPolicy.dropOldest(256).maxBytes(1 << 20);
 * OverflowPolicy.disconnect(1024, CloseStatus.TRY_AGAIN_LATER);
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

  private final Action action;
  private final int maxMessages;
  private final long maxBytes;
  private final CloseStatus closeStatus;

  private OverflowPolicy(Action action, int maxMessages, long maxBytes, CloseStatus closeStatus) {
    this.action = action;
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.closeStatus = closeStatus;
  }

  /** Queues up to {@code messages}; beyond, the oldest queued messages make room. */
  public static OverflowPolicy dropOldest(int messages) {
    return new OverflowPolicy(Action.DROP_OLDEST, positive(messages), DEFAULT_MAX_BYTES, null);
  }

  /** Queues up to {@code messages}; beyond, new messages are refused until the queue drains. */
  public static OverflowPolicy dropNewest(int messages) {
    return new OverflowPolicy(Action.DROP_NEWEST, positive(messages), DEFAULT_MAX_BYTES, null);
  }

  /** Keeps only the newest message: each arrival replaces the one still waiting. */
  public static OverflowPolicy latest() {
    return new OverflowPolicy(Action.LATEST, 1, DEFAULT_MAX_BYTES, null);
  }

  /**
   * Queues up to {@code messages}; beyond, the session is closed with {@code status} (its reason
   * defaults to "slow consumer") and its queue is dropped.
   *
   * @throws IllegalArgumentException if {@code status} may not be sent in a close frame
   */
  public static OverflowPolicy disconnect(int messages, CloseStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isSendable()) {
      throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
    }
    CloseStatus described = status.reason().isEmpty() ? status.withReason("slow consumer") : status;
    return new OverflowPolicy(Action.DISCONNECT, positive(messages), DEFAULT_MAX_BYTES, described);
  }

  /** Frame bytes the queue may hold; at least 1. Ignored by {@link #latest()}. */
  public OverflowPolicy maxBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
    }
    return new OverflowPolicy(action, maxMessages, bytes, closeStatus);
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

  /** The status a {@link Action#DISCONNECT} policy closes with; null for the others. */
  public CloseStatus closeStatus() {
    return closeStatus;
  }

  @Override
  public String toString() {
    return "OverflowPolicy[" + action + " " + maxMessages + " messages, " + maxBytes + " bytes"
        + (closeStatus == null ? "" : ", close " + closeStatus.code()) + "]";
  }
}

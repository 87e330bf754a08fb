package io.reactivews.core.limit;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.annotation.Nullable;

/**
 * How fast one peer may send: a token bucket in messages per second and in bytes per second
 * (payload bytes), each with a burst allowance, and what happens to a message past it. Applied
 * per session, to its inbound messages; on a server, set it on a route ({@code
 * Route.rateLimit(limit)}) or in {@code SessionOptions.inboundRateLimit(limit)}.
 *
 * <table>
 *   <caption>Past the limit</caption>
 *   <tr><th>{@link Excess}</th><th>what happens</th></tr>
 *   <tr><td>{@link Excess#SLOW_DOWN} (default)</td><td>the next message is not asked for until
 *       the bucket allows it: reads from the socket follow demand, so the peer's TCP window
 *       fills and the peer slows down, and nothing is lost or queued here</td></tr>
 *   <tr><td>{@link Excess#DROP}</td><td>messages past the limit are dropped (and given to
 *       Reactor's discard hook); reads go on at full speed</td></tr>
 *   <tr><td>{@link Excess#CLOSE}</td><td>the first message past the limit closes the session
 *       with 1008 "rate limit exceeded"</td></tr>
 * </table>
 *
 * <p>A message passes when a message token is there and the byte allowance is not overdrawn; its
 * bytes are charged as it passes, so one message larger than the byte burst still passes, and
 * the ones after it wait (or are dropped) until that debt has refilled. Only data messages count:
 * pings, pongs and the close frame are never held back. Timers and the clock come from a {@link
 * Scheduler}: the session's ({@code SessionOptions.scheduler}) unless one is set here, so tests
 * run on virtual time. With no limit configured, a session adds nothing to its inbound path.
 *
 * <pre>{@code
 * RateLimit chat = RateLimit.of(20, 32 << 10)    // 20 messages and 32 KiB per second
 *     .burst(40, 64 << 10);                      // up to 40 messages or 64 KiB at once
 * RateLimit strict = RateLimit.messagesPerSecond(5).onExcess(RateLimit.Excess.CLOSE);
 * Flux<Message> limited = messages.transform(chat::apply);
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy.
 */
public final class RateLimit {

  /** What happens to a message that arrives past the limit. */
  public enum Excess {
    /** Delay demand, so reads slow down: nothing is dropped. */
    SLOW_DOWN,
    /** Drop the message. */
    DROP,
    /** Close the session with 1008. */
    CLOSE
  }

  /** The status a session closes with under {@link Excess#CLOSE}. */
  public static final CloseStatus EXCEEDED = CloseStatus.of(1008, "rate limit exceeded");

  private final double messagesPerSecond;
  private final long bytesPerSecond;
  private final double burstMessages;
  private final long burstBytes;
  private final Excess excess;
  private final Scheduler scheduler;

  private RateLimit(double messagesPerSecond, long bytesPerSecond, double burstMessages,
      long burstBytes, Excess excess, Scheduler scheduler) {
    this.messagesPerSecond = messagesPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.burstMessages = burstMessages;
    this.burstBytes = burstBytes;
    this.excess = excess;
    this.scheduler = scheduler;
  }

  /**
   * At most {@code messagesPerSecond} messages and {@code bytesPerSecond} payload bytes per
   * second, with bursts of one second's worth; 0 leaves that dimension unlimited.
   *
   * @throws IllegalArgumentException if a rate is negative, or both are 0
   */
  public static RateLimit of(double messagesPerSecond, long bytesPerSecond) {
    if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond) || bytesPerSecond < 0) {
      throw new IllegalArgumentException("rates must be finite and not negative: "
          + messagesPerSecond + " messages/s, " + bytesPerSecond + " bytes/s");
    }
    if (messagesPerSecond == 0 && bytesPerSecond == 0) {
      throw new IllegalArgumentException("a rate limit limits messages, bytes or both");
    }
    return new RateLimit(messagesPerSecond, bytesPerSecond, Math.max(1, messagesPerSecond),
        Math.max(1, bytesPerSecond), Excess.SLOW_DOWN, null);
  }

  /** At most {@code rate} messages per second, any size. */
  public static RateLimit messagesPerSecond(double rate) {
    return of(rate, 0);
  }

  /** At most {@code rate} payload bytes per second, in any number of messages. */
  public static RateLimit bytesPerSecond(long rate) {
    return of(0, rate);
  }

  /**
   * How much may arrive at once after a quiet spell: {@code messages} messages (at least 1) and
   * {@code bytes} bytes (at least 1). Ignored for a dimension that is not limited.
   */
  public RateLimit burst(int messages, long bytes) {
    if (messages < 1 || bytes < 1) {
      throw new IllegalArgumentException(
          "a burst is at least 1 message and 1 byte: " + messages + ", " + bytes);
    }
    return new RateLimit(messagesPerSecond, bytesPerSecond, messages, bytes, excess, scheduler);
  }

  /** What happens past the limit; {@link Excess#SLOW_DOWN} unless set. */
  public RateLimit onExcess(Excess action) {
    return new RateLimit(messagesPerSecond, bytesPerSecond, burstMessages, burstBytes,
        Objects.requireNonNull(action, "excess"), scheduler);
  }

  /** Where the clock is read and the slow-down timer runs. */
  public RateLimit scheduler(Scheduler timers) {
    return new RateLimit(messagesPerSecond, bytesPerSecond, burstMessages, burstBytes, excess,
        Objects.requireNonNull(timers, "scheduler"));
  }

  /**
   * {@code messages}, limited. Under {@link Excess#CLOSE} the flux errors with a {@link
   * io.reactivews.core.WebSocketException} carrying {@link #EXCEEDED} (a session closes with
   * it); cancelling cancels the source and any pending timer.
   */
  public Flux<Message> apply(Flux<Message> messages) {
    return new FluxRateLimit(messages, this,
        scheduler != null ? scheduler : Schedulers.parallel());
  }

  public double messagesPerSecond() {
    return messagesPerSecond;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  public double burstMessages() {
    return burstMessages;
  }

  public long burstBytes() {
    return burstBytes;
  }

  public Excess excess() {
    return excess;
  }

  /** The scheduler set here, or null: the session's then. */
  @Nullable
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public String toString() {
    return "RateLimit[" + (messagesPerSecond > 0 ? messagesPerSecond + " messages/s (burst "
        + burstMessages + ") " : "") + (bytesPerSecond > 0 ? bytesPerSecond + " bytes/s (burst "
        + burstBytes + ") " : "") + excess + "]";
  }
}

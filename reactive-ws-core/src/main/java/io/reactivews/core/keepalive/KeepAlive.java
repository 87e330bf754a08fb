package io.reactivews.core.keepalive;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.annotation.Nullable;

/**
 * How a session keeps a quiet connection alive and notices a dead peer: pings after an interval
 * of silence (RFC 6455 section 5.5.2) and a failure when not even a pong comes back. Immutable
 * and thread-safe: each setter returns a copy.
 *
 * <pre>{@code
 * KeepAlive keepAlive = KeepAlive.every(Duration.ofSeconds(20)).timeout(Duration.ofSeconds(10));
 * Flux<ByteBuf> watched = transport.receive().transform(keepAlive.pinging(outbound::sendPing));
 * }</pre>
 *
 * <p>It watches a session's inbound reads, before they are decoded (it works as well on frames or
 * anything else), and passes every item through unchanged, in order, with downstream's demand
 * passed upstream as is (no buffering, no prefetch). Any bytes from the peer count as a sign of
 * life: data, ping, pong or close. Watching reads rather than frames costs a clock read per read,
 * however many small frames it carries.
 *
 * <pre>
 * peer:     --f1--f2---------------------------pong--f3-------------------------------
 * pings:                 |--interval--|ping(1)          |--interval--|ping(2)
 * output:   --f1--f2---------------------------pong--f3-------------------------------
 *
 * peer:     --f1-------------------------------------(silent)
 * pings:        |--interval--|ping(1)|--timeout--|
 * output:   --f1---------------------------------X  onError(1011 "keepalive timeout")
 * </pre>
 *
 * <p>Silence only counts while downstream has demand outstanding, that is while reads were asked
 * for and have not come. When downstream has requested nothing, it is this side that is not
 * reading (and the peer's pong may be waiting, unread, in the socket), so both the ping clock and
 * the dead-peer clock pause; when demand returns they start again from zero.
 *
 * <p>Terminal behaviour: when nothing arrives within {@link #timeout()} of a ping, upstream is
 * cancelled and downstream receives a {@link io.reactivews.core.WebSocketException} with status
 * 1011 and reason {@value #TIMEOUT_REASON}; an exception thrown by the ping callback cancels
 * upstream and is delivered the same way. Upstream's completion and errors pass through. Every
 * timer is cancelled when the stream completes, fails or is cancelled.
 *
 * <p>Threading: the timer runs on the {@linkplain #on(Scheduler) scheduler} ({@link
 * Schedulers#parallel()} unless set), so the ping callback is called there (or on the
 * connection's event loop, when given one) and a timeout error is delivered from there; signals
 * to downstream are serialized with the frames arriving on the I/O thread, never concurrent. The
 * connections on one scheduler share one timer: it holds a single scheduled task, for the
 * earliest of them, and a connection waits in its heap.
 */
public final class KeepAlive {

  /** The close reason of a connection that failed because the peer went silent. */
  public static final String TIMEOUT_REASON = "keepalive timeout";

  private static final KeepAlive DISABLED = new KeepAlive(null, null, null, false);

  @Nullable private final Duration interval;
  @Nullable private final Duration timeout;
  @Nullable private final Scheduler scheduler;
  private final boolean staggered;

  private KeepAlive(@Nullable Duration interval, @Nullable Duration timeout,
      @Nullable Scheduler scheduler, boolean staggered) {
    this.interval = interval;
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.staggered = staggered;
  }

  /**
   * Pings after {@code interval} with no frame from the peer, and fails the connection when
   * nothing arrives within the same duration of a ping unless {@link #timeout(Duration)} says
   * otherwise.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public static KeepAlive every(Duration interval) {
    return new KeepAlive(positive(interval, "interval"), null, null, false);
  }

  /** No pings and no timeout: {@link #pinging} leaves the frames as they are. */
  public static KeepAlive disabled() {
    return DISABLED;
  }

  /**
   * How long to wait, after a ping, for any frame before declaring the peer dead. It may be
   * shorter or longer than the interval. A disabled keepalive keeps the value and stays disabled.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public KeepAlive timeout(Duration timeout) {
    return new KeepAlive(interval, positive(timeout, "timeout"), scheduler, staggered);
  }

  /**
   * Pings each connection the first time after a silence of its own, between half the interval
   * and the whole of it, and every interval after that. Connections opened together (clients
   * reconnecting after a server restart) are otherwise pinged together, and again together
   * every interval after: a wave of pings and pongs that holds up their event loops at once.
   * Staggered, the first wave is spread over half an interval and the later ones keep that
   * spread, at the same one ping per interval. A dead peer is still noticed within interval
   * plus timeout.
   */
  public KeepAlive staggered() {
    return new KeepAlive(interval, timeout, scheduler, true);
  }

  /** Where the timer runs and where time is read; virtual time in tests. */
  public KeepAlive on(Scheduler scheduler) {
    return new KeepAlive(interval, timeout, Objects.requireNonNull(scheduler, "scheduler"),
        staggered);
  }

  /** Whether each connection's first ping comes at a point of its own: {@link #staggered()}. */
  public boolean isStaggered() {
    return staggered;
  }

  public boolean isEnabled() {
    return interval != null;
  }

  /** The silence after which a ping is sent, or {@code null} when disabled. */
  @Nullable
  public Duration interval() {
    return interval;
  }

  /** The wait for a sign of life after a ping: the interval unless set; null when disabled. */
  @Nullable
  public Duration timeout() {
    return timeout != null ? timeout : interval;
  }

  /** The scheduler set with {@link #on(Scheduler)}, or {@code null} for the default. */
  @Nullable
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * The operator for one session, to use with {@code transform}; {@code pingSender} is asked to
   * send a ping carrying the given payload (an 8-byte big-endian counter, 1 for the first ping of
   * each subscription) and is called on the scheduler's thread. When disabled, the function
   * returns the flux it is given.
   */
  public <T> Function<Flux<T>, Flux<T>> pinging(Consumer<byte[]> pingSender) {
    return pinging(pingSender, null);
  }

  /**
   * As {@link #pinging(Consumer)}, with {@code pingSender} called on {@code loop}, the event loop
   * the connection writes on (null: on the scheduler's thread). The timer still decides, on its
   * thread, who is due; the pings due together for the connections of one loop then go there in
   * one task, so a wave of pings (connections opened together fall due together) costs the loop a
   * task per batch rather than a hand-over per connection, and each ping is written with that
   * turn's other frames. A ping whose stream ended before the loop got to it is not sent.
   */
  public <T> Function<Flux<T>, Flux<T>> pinging(
      Consumer<byte[]> pingSender, @Nullable Executor loop) {
    Objects.requireNonNull(pingSender, "pingSender");
    if (interval == null) {
      return Function.identity();
    }
    long intervalNanos = interval.toNanos();
    long timeoutNanos = timeout().toNanos();
    return items ->
        new FluxKeepAlive<T>(items, intervalNanos, timeoutNanos, staggered, scheduler, pingSender,
            loop);
  }

  @Override
  public String toString() {
    if (interval == null) {
      return "KeepAlive(disabled)";
    }
    return "KeepAlive(every " + readable(interval) + (staggered ? " staggered" : "")
        + ", timeout " + readable(timeout())
        + (scheduler != null ? ", on " + scheduler : "") + ")";
  }

  /** "20s", "1500 ms" or "250 ns": whole seconds and milliseconds read best. */
  static String readable(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + " ms";
    }
    return nanos + " ns";
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
    try {
      duration.toNanos();
    } catch (ArithmeticException tooLong) {
      // The timer counts in nanoseconds: about 292 years is as far as it can see.
      throw new IllegalArgumentException(what + " is too long: " + duration);
    }
    return duration;
  }
}

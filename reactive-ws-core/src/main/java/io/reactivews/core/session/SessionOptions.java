package io.reactivews.core.session;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.keepalive.KeepAlive;
import io.reactivews.core.limit.RateLimit;
import io.reactivews.core.message.Message;
import io.reactivews.core.message.MessageAssembler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Limits and timers of a session, the same for servers and clients. Immutable: each setter
 * returns a copy and validates its argument; {@link #defaults()} holds the safe defaults.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.defaults()
 *     .maxMessageSize(16 << 20)
 *     .pingInterval(Duration.ofSeconds(15))
 *     .outboundQueueMessages(256);
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>maxFrameSize</td><td>maxMessageSize</td>
 *       <td>payload of one frame (1009 beyond)</td></tr>
 *   <tr><td>maxMessageSize</td><td>1 MiB</td><td>payload of one message (1009 beyond)</td></tr>
 *   <tr><td>outboundQueueMessages</td><td>1024</td><td>messages queued by the sink</td></tr>
 *   <tr><td>outboundQueueBytes</td><td>4 MiB</td><td>bytes queued by the sink</td></tr>
 *   <tr><td>sendPrefetch</td><td>32</td><td>messages taken ahead from each send() source</td></tr>
 *   <tr><td>closeTimeout</td><td>5 s</td>
 *       <td>wait for the close handshake and the TCP close, or for a reader to take what
 *       came before a closed connection</td></tr>
 *   <tr><td>pingInterval</td><td>20 s</td><td>silence before a ping; the first after a
 *       silence of the session's own between half this and all of it (zero disables)</td></tr>
 *   <tr><td>pingTimeout</td><td>20 s</td><td>silence after a ping before the peer is dead</td></tr>
 *   <tr><td>idleTimeout</td><td>none</td>
 *       <td>time without messages either way (1001 beyond)</td></tr>
 *   <tr><td>inboundRateLimit</td><td>none</td>
 *       <td>messages and bytes per second from the peer ({@link RateLimit})</td></tr>
 *   <tr><td>compression</td><td>{@link DeflateOptions#defaults()}</td>
 *       <td>permessage-deflate: on, no context takeover (see {@link DeflateOptions})</td></tr>
 * </table>
 */
public final class SessionOptions implements Cloneable {

  /** maxFrameSize when not set: frames may be as large as messages. */
  private static final long FOLLOW_MESSAGE_SIZE = -1;

  private static final SessionOptions DEFAULTS = new SessionOptions();

  private long maxFrameSize = FOLLOW_MESSAGE_SIZE;
  private long maxMessageSize = MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE;
  private int outboundQueueMessages = 1024;
  private long outboundQueueBytes = 4L << 20;
  private int sendPrefetch = 32;
  private Duration closeTimeout = Duration.ofSeconds(5);
  private Duration pingInterval = Duration.ofSeconds(20);
  private Duration pingTimeout = Duration.ofSeconds(20);
  private Duration idleTimeout = Duration.ZERO;
  private Scheduler scheduler = Schedulers.parallel();
  private RateLimit inboundRateLimit;
  private DeflateOptions compression = DeflateOptions.defaults();

  private SessionOptions() {}

  public static SessionOptions defaults() {
    return DEFAULTS;
  }

  /** Largest frame payload accepted, at least 125 bytes. */
  public SessionOptions maxFrameSize(long bytes) {
    if (bytes < 125) {
      throw new IllegalArgumentException("maxFrameSize must be at least 125: " + bytes);
    }
    return with(o -> o.maxFrameSize = bytes);
  }

  /** Largest message payload accepted; unless set apart, frames may be as large. */
  public SessionOptions maxMessageSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxMessageSize must not be negative: " + bytes);
    }
    return with(o -> o.maxMessageSize = bytes);
  }

  /** Messages the sink may queue before {@code tryEmit} reports overflow; at least 1. */
  public SessionOptions outboundQueueMessages(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("outboundQueueMessages must be positive: " + messages);
    }
    return with(o -> o.outboundQueueMessages = messages);
  }

  /** Payload bytes the sink may queue before {@code tryEmit} reports overflow; at least 1. */
  public SessionOptions outboundQueueBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("outboundQueueBytes must be positive: " + bytes);
    }
    return with(o -> o.outboundQueueBytes = bytes);
  }

  /** Messages requested ahead from each {@code send(Publisher)} source; at least 1. */
  public SessionOptions sendPrefetch(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("sendPrefetch must be positive: " + messages);
    }
    return with(o -> o.sendPrefetch = messages);
  }

  /**
   * How long closing may take, from the close frame to the TCP close, before it is forced; also
   * how long a closed connection waits for its reader to take what the peer sent before.
   */
  public SessionOptions closeTimeout(Duration timeout) {
    Duration checked = positive(timeout, "closeTimeout");
    return with(o -> o.closeTimeout = checked);
  }

  /**
   * Silence from the peer after which a ping is sent; {@link Duration#ZERO} disables pings. A
   * session's first ping comes after a silence of its own between half this and the whole of it
   * ({@link KeepAlive#staggered()}), so sessions opened together are not pinged together.
   */
  public SessionOptions pingInterval(Duration interval) {
    Objects.requireNonNull(interval, "pingInterval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative: " + interval);
    }
    return with(o -> o.pingInterval = interval);
  }

  /** Silence after a ping after which the peer is declared dead (1011 "keepalive timeout"). */
  public SessionOptions pingTimeout(Duration timeout) {
    Duration checked = positive(timeout, "pingTimeout");
    return with(o -> o.pingTimeout = checked);
  }

  /**
   * How long a session may go without a message either way (pings and pongs do not count)
   * before it is closed with 1001 "idle timeout"; {@link Duration#ZERO}, the default, never.
   */
  public SessionOptions idleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "idleTimeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative: " + timeout);
    }
    return with(o -> o.idleTimeout = timeout);
  }

  /**
   * How fast the peer may send, and what happens past it (by default its reads slow down); see
   * {@link RateLimit}. Its timer runs on {@link #scheduler(Scheduler)} unless it has its own.
   */
  public SessionOptions inboundRateLimit(RateLimit limit) {
    Objects.requireNonNull(limit, "limit");
    return with(o -> o.inboundRateLimit = limit);
  }

  /** Where timers run; tests pass a virtual-time scheduler. */
  public SessionOptions scheduler(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return with(o -> o.scheduler = scheduler);
  }

  /** permessage-deflate (RFC 7692): on by default; {@link DeflateOptions#disabled()} for off. */
  public SessionOptions compression(DeflateOptions deflate) {
    Objects.requireNonNull(deflate, "compression");
    return with(o -> o.compression = deflate);
  }

  private SessionOptions with(Consumer<SessionOptions> change) {
    try {
      SessionOptions copy = (SessionOptions) clone();
      change.accept(copy);
      return copy;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** The frame limit: as set, or else the message limit (never below 125 bytes). */
  public long maxFrameSize() {
    long messageBound = Math.max(maxMessageSize, 125);
    return maxFrameSize == FOLLOW_MESSAGE_SIZE ? messageBound
        : Math.min(maxFrameSize, messageBound);
  }

  public long maxMessageSize() {
    return maxMessageSize;
  }

  public int outboundQueueMessages() {
    return outboundQueueMessages;
  }

  public long outboundQueueBytes() {
    return outboundQueueBytes;
  }

  public int sendPrefetch() {
    return sendPrefetch;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration pingTimeout() {
    return pingTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The inbound rate limit, or null for none. */
  public RateLimit inboundRateLimit() {
    return inboundRateLimit;
  }

  /** The inbound messages, limited as set; the same flux, at no cost, when no limit is. */
  /** Whether {@link #limitInbound} puts a limiter between the messages and the application. */
  boolean limitsInbound() {
    return inboundRateLimit != null;
  }

  Flux<Message> limitInbound(Flux<Message> messages) {
    RateLimit limit = inboundRateLimit;
    if (limit == null) {
      return messages;
    }
    return (limit.scheduler() != null ? limit : limit.scheduler(scheduler)).apply(messages);
  }

  public DeflateOptions compression() {
    return compression;
  }

  /** The keepalive these options describe. */
  KeepAlive keepAlive() {
    if (pingInterval.isZero()) {
      return KeepAlive.disabled();
    }
    return KeepAlive.every(pingInterval).timeout(pingTimeout).staggered().on(scheduler);
  }
}

package io.reactivews.core.session;

import io.reactivews.core.keepalive.KeepAlive;
import io.reactivews.core.message.MessageAssembler;
import java.time.Duration;
import java.util.Objects;
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
 *   <tr><td>maxFrameSize</td><td>maxMessageSize</td><td>payload of one frame (1009 beyond)</td></tr>
 *   <tr><td>maxMessageSize</td><td>1 MiB</td><td>payload of one message (1009 beyond)</td></tr>
 *   <tr><td>outboundQueueMessages</td><td>1024</td><td>messages queued by the sink</td></tr>
 *   <tr><td>outboundQueueBytes</td><td>4 MiB</td><td>bytes queued by the sink</td></tr>
 *   <tr><td>sendPrefetch</td><td>32</td><td>messages taken ahead from each send() source</td></tr>
 *   <tr><td>closeTimeout</td><td>5 s</td><td>wait for the close handshake and the TCP close</td></tr>
 *   <tr><td>pingInterval</td><td>20 s</td><td>silence before a ping (zero disables)</td></tr>
 *   <tr><td>pingTimeout</td><td>20 s</td><td>silence after a ping before the peer is dead</td></tr>
 * </table>
 */
public final class SessionOptions {

  /** maxFrameSize when not set: frames may be as large as messages. */
  private static final long FOLLOW_MESSAGE_SIZE = -1;

  private static final SessionOptions DEFAULTS = new SessionOptions(
      FOLLOW_MESSAGE_SIZE,
      MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE,
      1024,
      4L << 20,
      32,
      Duration.ofSeconds(5),
      Duration.ofSeconds(20),
      Duration.ofSeconds(20),
      Schedulers.parallel());

  private final long maxFrameSize;
  private final long maxMessageSize;
  private final int outboundQueueMessages;
  private final long outboundQueueBytes;
  private final int sendPrefetch;
  private final Duration closeTimeout;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Scheduler scheduler;

  private SessionOptions(
      long maxFrameSize,
      long maxMessageSize,
      int outboundQueueMessages,
      long outboundQueueBytes,
      int sendPrefetch,
      Duration closeTimeout,
      Duration pingInterval,
      Duration pingTimeout,
      Scheduler scheduler) {
    this.maxFrameSize = maxFrameSize;
    this.maxMessageSize = maxMessageSize;
    this.outboundQueueMessages = outboundQueueMessages;
    this.outboundQueueBytes = outboundQueueBytes;
    this.sendPrefetch = sendPrefetch;
    this.closeTimeout = closeTimeout;
    this.pingInterval = pingInterval;
    this.pingTimeout = pingTimeout;
    this.scheduler = scheduler;
  }

  public static SessionOptions defaults() {
    return DEFAULTS;
  }

  /** Largest frame payload accepted, at least 125 bytes. */
  public SessionOptions maxFrameSize(long bytes) {
    if (bytes < 125) {
      throw new IllegalArgumentException("maxFrameSize must be at least 125: " + bytes);
    }
    return new SessionOptions(bytes, maxMessageSize, outboundQueueMessages, outboundQueueBytes,
        sendPrefetch, closeTimeout, pingInterval, pingTimeout, scheduler);
  }

  /** Largest message payload accepted; unless set apart, frames may be as large. */
  public SessionOptions maxMessageSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxMessageSize must not be negative: " + bytes);
    }
    return new SessionOptions(maxFrameSize, bytes, outboundQueueMessages, outboundQueueBytes,
        sendPrefetch, closeTimeout, pingInterval, pingTimeout, scheduler);
  }

  /** Messages the sink may queue before {@code tryEmit} reports overflow; at least 1. */
  public SessionOptions outboundQueueMessages(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("outboundQueueMessages must be positive: " + messages);
    }
    return new SessionOptions(maxFrameSize, maxMessageSize, messages, outboundQueueBytes,
        sendPrefetch, closeTimeout, pingInterval, pingTimeout, scheduler);
  }

  /** Payload bytes the sink may queue before {@code tryEmit} reports overflow; at least 1. */
  public SessionOptions outboundQueueBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("outboundQueueBytes must be positive: " + bytes);
    }
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages, bytes,
        sendPrefetch, closeTimeout, pingInterval, pingTimeout, scheduler);
  }

  /** Messages requested ahead from each {@code send(Publisher)} source; at least 1. */
  public SessionOptions sendPrefetch(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("sendPrefetch must be positive: " + messages);
    }
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages,
        outboundQueueBytes, messages, closeTimeout, pingInterval, pingTimeout, scheduler);
  }

  /** How long closing may take, from the close frame to the TCP close, before it is forced. */
  public SessionOptions closeTimeout(Duration timeout) {
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages,
        outboundQueueBytes, sendPrefetch, positive(timeout, "closeTimeout"), pingInterval,
        pingTimeout, scheduler);
  }

  /** Silence from the peer after which a ping is sent; {@link Duration#ZERO} disables pings. */
  public SessionOptions pingInterval(Duration interval) {
    Objects.requireNonNull(interval, "pingInterval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative: " + interval);
    }
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages,
        outboundQueueBytes, sendPrefetch, closeTimeout, interval, pingTimeout, scheduler);
  }

  /** Silence after a ping after which the peer is declared dead (1011 "keepalive timeout"). */
  public SessionOptions pingTimeout(Duration timeout) {
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages,
        outboundQueueBytes, sendPrefetch, closeTimeout, pingInterval,
        positive(timeout, "pingTimeout"), scheduler);
  }

  /** Where timers run; tests pass a virtual-time scheduler. */
  public SessionOptions scheduler(Scheduler scheduler) {
    return new SessionOptions(maxFrameSize, maxMessageSize, outboundQueueMessages,
        outboundQueueBytes, sendPrefetch, closeTimeout, pingInterval, pingTimeout,
        Objects.requireNonNull(scheduler, "scheduler"));
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
    return maxFrameSize == FOLLOW_MESSAGE_SIZE ? messageBound : Math.min(maxFrameSize, messageBound);
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

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The keepalive these options describe. */
  public KeepAlive keepAlive() {
    if (pingInterval.isZero()) {
      return KeepAlive.disabled();
    }
    return KeepAlive.every(pingInterval).timeout(pingTimeout).on(scheduler);
  }
}

package io.reactivews.client;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.handshake.HandshakeException;
import io.reactivews.core.message.Message;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.session.ReadyState;
import io.reactivews.core.session.WebSocketSession;
import java.util.Objects;
import java.util.Optional;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A connection that outlives its sessions: when one is lost, a new one is opened after the
 * spec's {@link reactor.util.retry.Retry} says so, and the application keeps one inbound {@code
 * Flux}, one outbound sink and one stream of {@link ConnectionState}s throughout.
 *
 * <pre>{@code
 * ReconnectingSession live = client.reconnecting("wss://events.example.org/ws").start();
 * live.receive().subscribe(this::onMessage);             // continues across reconnections
 * live.states().subscribe(s -> log.info("link {}", s));  // CONNECTING, OPEN, RECONNECTING(1)...
 * if (live.tryEmit(Message.text(json)) == Sinks.EmitResult.FAIL_OVERFLOW) { ... }
 * live.close().block();
 * }</pre>
 *
 * <p><b>Outbound.</b> {@link #tryEmit} queues up to the spec's {@code queueLimit}; messages are
 * taken from the queue, in order, as an open connection can write them, after the session hook
 * is done. While disconnected they wait. A message already handed to a connection that then
 * breaks may be lost, as with any single WebSocket: add acknowledgements on top if that matters.
 *
 * <p><b>Inbound.</b> {@link #receive()} has one subscriber and carries backpressure to the open
 * connection; until someone subscribes the connection does not read (so neither pongs nor close
 * frames are processed): an application that only sends calls {@code receive().subscribe()}.
 *
 * <p>Thread-safe.
 */
public final class ReconnectingSession implements Disposable {

  private final ReconnectSpec spec;
  private final OutboundBuffer outbound;
  private final Sinks.Many<Flux<Message>> inbounds = Sinks.many().unicast().onBackpressureBuffer();
  private final Flux<Message> inbound;
  private final Sinks.Many<ConnectionState> states = Sinks.many().replay().latest();
  private final Sinks.Empty<Void> terminated = Sinks.empty();

  // Guarded by "this".
  private ConnectionState state = ConnectionState.CONNECTING;
  private DrivenSession current;
  private boolean stopping;
  private CloseStatus stopStatus = CloseStatus.NORMAL;
  private boolean discardInbound;
  private Throwable finalCause;
  private Disposable loop;

  private ReconnectingSession(ReconnectSpec spec) {
    this.spec = spec;
    this.outbound = new OutboundBuffer(spec.queueLimit);
    this.inbound = inbounds.asFlux()
        .concatMap(messages -> messages.onErrorResume(e -> Flux.empty()))
        .doOnCancel(this::discardFromNowOn);
    states.tryEmitNext(state);
  }

  static ReconnectingSession start(ReconnectSpec spec) {
    ReconnectingSession handle = new ReconnectingSession(spec);
    if (spec.connector.metrics() != null) {
      spec.connector.metrics().phase(null, handle.state().phase());
    }
    spec.connector.sessions().add(handle);
    Disposable running = Flux.defer(handle::attempt)
        .retryWhen(ReportingRetry.of(spec.retry, handle::reportRetry))
        .subscribe(null, handle::finish, () -> handle.finish(null));
    synchronized (handle) {
      handle.loop = running;
      if (handle.stopping && handle.current == null) {
        running.dispose(); // closed before the loop was even stored
      }
    }
    return handle;
  }

  /** Messages from every session in turn. One subscriber; ends when this handle closes. */
  public Flux<Message> receive() {
    return inbound;
  }

  /**
   * Queues a message for the current or next session: {@code OK}, {@code FAIL_OVERFLOW} when
   * {@code queueLimit} messages wait already, or {@code FAIL_TERMINATED} once closing.
   */
  public Sinks.EmitResult tryEmit(Message message) {
    return outbound.tryEmit(Objects.requireNonNull(message, "message"));
  }

  /** Messages queued and not yet taken by a connection. */
  public int queuedMessages() {
    return outbound.size();
  }

  public synchronized ConnectionState state() {
    return state;
  }

  /** The current state, then each change; completes after {@link ConnectionState.Phase#CLOSED}. */
  public Flux<ConnectionState> states() {
    return states.asFlux();
  }

  /** The open session, if there is one now. */
  public synchronized Optional<WebSocketSession> session() {
    return state.isOpen() ? Optional.ofNullable(current) : Optional.empty();
  }

  public boolean isOpen() {
    return state().isOpen();
  }

  /** Stops with 1000; see {@link #close(CloseStatus)}. */
  public Mono<Void> close() {
    return close(CloseStatus.NORMAL);
  }

  /**
   * Stops reconnecting. An open session first sends what is queued, then closes with {@code
   * status}; without one, queued messages are dropped. Completes once {@link
   * ConnectionState.Phase#CLOSED}.
   */
  public Mono<Void> close(CloseStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isSendable()) {
      return Mono.error(
          new IllegalArgumentException("close code " + status.code() + " may not be sent"));
    }
    boolean idle = false;
    DrivenSession hooked = null;
    Disposable running;
    synchronized (this) {
      if (!stopping) {
        stopping = true;
        stopStatus = status;
        idle = current == null; // in a backoff or a connect: nothing to close gracefully
        // Its hook still runs, and may never end: nothing queued was sent, close it now.
        hooked = current != null && !state.isOpen() ? current : null;
      }
      running = loop;
    }
    outbound.close();
    if (hooked != null) {
      hooked.close(status).subscribe();
    }
    if (idle) {
      if (running != null) {
        running.dispose();
      }
      finish(null);
    }
    return terminated.asMono();
  }

  /** Closes with 1000 without waiting. */
  @Override
  public void dispose() {
    close().subscribe();
  }

  @Override
  public boolean isDisposed() {
    return state().phase() == ConnectionState.Phase.CLOSED;
  }

  /** Completes when the handle is closed for good. */
  public Mono<Void> onClose() {
    return terminated.asMono();
  }

  /** One try: connect, then live until the session ends. Errors to ask for a retry. */
  private Flux<DrivenSession> attempt() {
    return spec.connector.connect(spec.uri)
        .onErrorResume(HandshakeException.class, this::refused)
        .flatMapMany(this::live);
  }

  /** A refusal among the spec's final statuses ends it, with the refusal as the cause. */
  private Mono<DrivenSession> refused(HandshakeException e) {
    if (!spec.finalHandshakeStatuses.contains(e.status())) {
      return Mono.error(e);
    }
    synchronized (this) {
      finalCause = e;
    }
    return Mono.empty();
  }

  private Flux<DrivenSession> live(DrivenSession session) {
    synchronized (this) {
      if (stopping) {
        session.close(stopStatus).subscribe();
        return Flux.empty();
      }
      current = session;
      if (discardInbound) {
        session.receive().subscribe(m -> { }, e -> { });
      } else {
        // Deferred: until someone reads, the session counts as unread (and close() drains it).
        inbounds.tryEmitNext(Flux.defer(session::receive));
      }
    }
    Mono<Void> hook = Mono.defer(() -> Mono.from(spec.onSession.apply(session)))
        .onErrorResume(e -> session.close(CloseStatus.INTERNAL_ERROR
                .withFittedReason("session hook failed: " + e.getMessage()))
            .then(Mono.error(e)));
    Mono<DrivenSession> open = hook.then(Mono.fromCallable(() -> opened(session)));
    // The element resets the retry's count of attempts in a row, so it waits until the session
    // has lasted: a server that accepts and closes at once would otherwise be retried at the
    // first delay forever.
    Flux<DrivenSession> opened = (spec.stableAfter.isZero() ? open
        : open.delayElement(spec.stableAfter))
        .flux()
        .takeUntilOther(session.onClose());
    return opened.concatWith(session.closeStatus().flatMap(status -> ended(session, status)))
        .onErrorResume(e -> failed(session, e));
  }

  /** The hook failed: forget the session; retry unless closing, which then completes. */
  private Flux<DrivenSession> failed(DrivenSession session, Throwable e) {
    synchronized (this) {
      if (current == session) {
        current = null;
      }
      return stopping ? Flux.empty() : Flux.error(e);
    }
  }

  private DrivenSession opened(DrivenSession session) {
    setState(ConnectionState.OPEN);
    // The drainer lets go as soon as the session stops being open, so no message is taken
    // by a connection that can no longer write it.
    Mono<ReadyState> notOpen = session.states().filter(s -> s != ReadyState.OPEN).next();
    session.send(outbound.drainer().takeUntilOther(notOpen))
        .onErrorResume(e -> Mono.empty())
        .then(Mono.defer(this::closeIfStopping))
        .subscribe();
    return session;
  }

  private Mono<Void> closeIfStopping() {
    DrivenSession session;
    CloseStatus status;
    synchronized (this) {
      session = stopping ? current : null;
      status = stopStatus;
    }
    return session == null ? Mono.empty() : session.close(status);
  }

  private Mono<DrivenSession> ended(DrivenSession session, CloseStatus status) {
    synchronized (this) {
      if (current == session) {
        current = null;
      }
      if (stopping) {
        return Mono.empty();
      }
      if (spec.finalCloseCodes.contains(status.code())) {
        finalCause = new WebSocketException(status,
            "closed with " + status.code() + ", a final close code");
        return Mono.empty();
      }
    }
    return Mono.error(new WebSocketException(status, "connection lost: " + status));
  }

  /** After the retry saw a failure: an exhausted retry has already closed this handle. */
  private void reportRetry(Retry.RetrySignal signal) {
    synchronized (this) {
      if (stopping) {
        return;
      }
    }
    if (spec.connector.metrics() != null) {
      spec.connector.metrics().reconnectAttempt();
    }
    setState(ConnectionState.reconnecting(signal.totalRetriesInARow() + 1, signal.failure()));
  }

  private void finish(Throwable error) {
    Throwable cause;
    synchronized (this) {
      if (state.phase() == ConnectionState.Phase.CLOSED) {
        return;
      }
      stopping = true;
      cause = error != null ? error : finalCause;
      setState(ConnectionState.closed(cause));
      // Under the lock, like every other emission to these sinks.
      if (error != null) {
        inbounds.tryEmitError(error);
      } else {
        inbounds.tryEmitComplete();
      }
      states.tryEmitComplete();
    }
    outbound.terminate();
    terminated.tryEmitEmpty();
  }

  private synchronized void discardFromNowOn() {
    discardInbound = true;
  }

  private synchronized void setState(ConnectionState next) {
    if (state.phase() == ConnectionState.Phase.CLOSED) {
      return;
    }
    // The one place the phase changes, and CLOSED is final: the phase gauges cannot drift.
    if (spec.connector.metrics() != null) {
      spec.connector.metrics().phase(state.phase(), next.phase());
    }
    state = next;
    states.tryEmitNext(next);
  }

  @Override
  public String toString() {
    return "ReconnectingSession[" + spec.uri + " " + state() + "]";
  }
}

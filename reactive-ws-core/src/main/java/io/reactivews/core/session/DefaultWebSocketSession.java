package io.reactivews.core.session;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.ClosePayload;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.internal.SessionProbe;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.session.CloseHandshake.Actions;
import io.reactivews.core.message.Message;
import io.reactivews.core.keepalive.KeepAlive;
import io.reactivews.core.message.MessageAssembler;
import io.reactivews.core.transport.Lingering;
import io.reactivews.core.transport.Transport;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * The session both servers and clients run over a {@link Transport} once the handshake is done:
 * it wires the inbound chain (keepalive, decoder, assembler), the outbound queue, and the close
 * handshake of RFC 6455 section 7.
 *
 * <pre>
 * transport.receive() -> Lingering -> KeepAlive -> FrameDecoder -> MessageAssembler -> receive()
 *                                          |                              | ping, close
 * transport.send()   <- OutboundQueue <- pongs, pings, close <------------+
 *                                     <- tryEmit(), send(Publisher)
 * </pre>
 *
 * <p>Closing is decided by a {@link CloseHandshake}: each event (a close asked for, a close frame
 * received or written, a failure, the end of input, the close timer, the closed connection) is
 * told to it, and the session does what it answers (send a close frame, half-close, close the
 * connection, end with a status). The session keeps no close state of its own.
 *
 * <p>Thread-safe; events reach the close handshake under this object's lock, so the states a
 * {@link #states()} subscriber sees come in order.
 */
final class DefaultWebSocketSession implements DrivenSession, InboundBridge.Owner {

  static {
    Sessions.register(DefaultWebSocketSession::open);
  }

  private final String id = SessionIds.next();
  private final Transport transport;
  private final Role role;
  private final SessionOptions options;
  private final HandshakeInfo handshake;
  /** permessage-deflate when negotiated, else null: the plain path pays one null check. */
  private final PerMessageDeflate deflate;
  // Meters: SessionProbe.NONE unless the server or client was given a registry.
  private final SessionProbe probe;
  private final long openedAt = System.nanoTime();
  private static final CloseStatus IDLE = CloseStatus.of(1001, "idle timeout");
  private static final FrameEncoder SERVER_FRAMES = FrameEncoder.forRole(Role.SERVER);
  private static final IntConsumer NOTHING = size -> { };

  private final IdleTimer idle;
  private final CloseHandshake closing;
  private final OutboundQueue outbound;
  private final InboundBridge inbound;
  private final CloseSignal closed = new CloseSignal(this);
  // Made on first use: most sessions never need them. Guarded by "this".
  private volatile Map<String, Object> attributes;
  private Sinks.Many<ReadyState> states;
  /** The running handler, disposed when the connection closes. Guarded by "this". */
  private Disposable running;
  /** Started with our close frame, disposed at the end. Guarded by "this". */
  private Disposable closeTimer;

  private volatile boolean receiveCalled;

  private DefaultWebSocketSession(Transport transport, Role role, SessionOptions options,
      HandshakeInfo handshake, PerMessageDeflate deflate, SessionProbe probe) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.role = Objects.requireNonNull(role, "role");
    this.options = Objects.requireNonNull(options, "options");
    this.handshake = Objects.requireNonNull(handshake, "handshake");
    this.deflate = deflate;
    this.idle = options.idleTimeout().isZero() ? null : new IdleTimer(options.scheduler(),
        options.idleTimeout(), () -> requestClose(IDLE));
    this.closing = new CloseHandshake(role, options.closeTimeout());
    // A server's encoder holds nothing of its own: all sessions share one.
    this.outbound = new OutboundQueue(
        role == Role.SERVER ? SERVER_FRAMES : FrameEncoder.forRole(role), transport.alloc(),
        options, closing, onMessage(idle, probe, false), this::sendFailed, deflate);
    // Received frames can stay pooled on their way to a send() unless inflated or rate-limited.
    this.inbound = new InboundBridge(this, onMessage(idle, probe, true),
        deflate == null && !options.limitsInbound());
  }

  /**
   * A session over a transport whose handshake is done; it starts reading and writing at once.
   */
  public static DefaultWebSocketSession open(
      Transport transport, Role role, SessionOptions options, HandshakeInfo handshake) {
    return open(transport, role, options, handshake, null, SessionProbe.NONE);
  }

  /**
   * A session that runs permessage-deflate as negotiated, or none when {@code deflate} is null;
   * the session releases its zlib memory when the connection closes.
   */
  public static DefaultWebSocketSession open(Transport transport, Role role,
      SessionOptions options, HandshakeInfo handshake, PerMessageDeflate deflate) {
    return open(transport, role, options, handshake, deflate, SessionProbe.NONE);
  }

  /** As the one above, telling {@code probe} (meters) what the session does. */
  public static DefaultWebSocketSession open(Transport transport, Role role,
      SessionOptions options, HandshakeInfo handshake, PerMessageDeflate deflate,
      SessionProbe probe) {
    DefaultWebSocketSession session =
        new DefaultWebSocketSession(transport, role, options, handshake, deflate, probe);
    session.start();
    return session;
  }

  /**
   * What a data message in or out does besides passing: touch the idle timer, tell the probe.
   * Null or a no-op when there is nothing to do, so a session without either pays nothing.
   */
  private IntConsumer onMessage(IdleTimer idle, SessionProbe probe, boolean in) {
    if (probe == SessionProbe.NONE) {
      return idle == null ? (in ? null : NOTHING) : size -> touch();
    }
    IntConsumer count = in ? probe::received : probe::sent;
    return idle == null ? count : size -> {
      touch();
      count.accept(size);
    };
  }

  private void start() {
    // Before anything can end the session: "ended" never comes before "opened".
    probe.opened(this);
    transport.whenClosed(this::onTransportClosed);
    // Keepalive watches reads, not frames: one clock read per read, however many frames it has.
    Flux<Frame> frames = Lingering.read(transport.receive(), this::onInputEnded)
        .transform(options.keepAlive().pinging(this::sendPing, transport.executor()))
        .transform(FrameDecoder.forRole(role).maxFrameSize(options.maxFrameSize())
            .allowRsv(deflate == null ? 0 : deflate.rsvBits()).pooling(inbound));
    if (deflate != null) {
      frames = frames.transform(
          deflate.inflating(options.maxFrameSize(), options.maxMessageSize()));
    }
    frames
        .transform(MessageAssembler.create()
            .maxMessageSize(options.maxMessageSize())
            .onControlFrame(this::onControlFrame))
        .transform(options::limitInbound)
        .subscribe(inbound);
    transport.send(outbound).subscribe(new OutboundEnd());
    if (idle != null) {
      idle.start();
    }
  }

  private void touch() {
    if (idle != null) {
      idle.touch();
    }
  }

  /**
   * Runs an application handler: the session closes with 1000 when its publisher completes and
   * with 1011 when it fails or throws, and the handler is cancelled when the connection closes.
   * A handler that does not call {@link #receive()} while it is built gets its inbound messages
   * discarded, so pings and the close handshake still work.
   *
   * @return completes when the connection is closed
   */
  public Mono<Void> run(Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
    Publisher<Void> body;
    try {
      body = Objects.requireNonNull(handler.apply(this), "the handler returned null");
    } catch (Throwable t) {
      failHandler(t);
      return onClose();
    }
    if (!receiveCalled) {
      inbound.discard();
    }
    Handling handling = new Handling();
    try {
      Mono.from(body).subscribe(handling);
    } catch (Throwable t) {
      // Reactor rethrows JVM errors (OutOfMemoryError) rather than signal them: still the
      // handler's failure, and not for the transport's thread to swallow.
      handling.dispose();
      failHandler(t);
      return onClose();
    }
    // The session disposes it at the close, whether or not the caller waits for that.
    boolean closedAlready;
    synchronized (this) {
      closedAlready = closing.isClosed();
      if (!closedAlready) {
        running = handling;
      }
    }
    if (closedAlready) {
      handling.dispose();
    }
    return onClose().doFinally(signal -> handling.dispose());
  }

  private void failHandler(Throwable t) {
    discardUnlessReceiving();
    if (t instanceof WebSocketException && !closing.isOpen()) {
      return; // the session failed first and the handler saw it
    }
    // Any message, however long, becomes a reason a close frame can carry.
    requestClose(CloseStatus.INTERNAL_ERROR.withFittedReason(reasonOf(t)));
  }

  /** What a failed handler's error says, or its type: nothing it does may stop the close. */
  private static String reasonOf(Throwable t) {
    String message;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      message = null;
    }
    return message != null ? message : t.getClass().getSimpleName();
  }

  /**
   * The handler is done. If nothing subscribed to {@link #receive()}, nothing ever will: read on
   * and drop, or the peer's close frame would never be read and closing would time out.
   */
  private void discardUnlessReceiving() {
    if (!inbound.hasSubscriber()) {
      inbound.discard();
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Flux<Message> receive() {
    receiveCalled = true;
    return inbound.flux();
  }

  @Override
  public Mono<Void> send(Publisher<? extends Message> messages) {
    return outbound.send(messages);
  }

  @Override
  public Mono<Void> sendPrepared(Publisher<PreparedMessage> messages) {
    return outbound.sendPrepared(messages);
  }

  @Override
  public Executor executor() {
    return transport.executor();
  }

  @Override
  public Sinks.EmitResult tryEmit(Message message) {
    Sinks.EmitResult result = outbound.tryEmit(Objects.requireNonNull(message, "message"));
    if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
      probe.overflowed();
    }
    return result;
  }

  @Override
  public int queuedMessages() {
    return outbound.queuedMessages();
  }

  @Override
  public long queuedBytes() {
    return outbound.queuedBytes();
  }

  @Override
  public Mono<Void> close(CloseStatus status) {
    Objects.requireNonNull(status, "status");
    if (!CloseStatus.isValidOnWire(status.code())) {
      return Mono.error(
          new IllegalArgumentException("close code " + status.code() + " may not be sent"));
    }
    // A reason too long for the frame is cut rather than refused: a refusal dropped in a
    // subscribe() would leave the session open.
    requestClose(status.isSendable() ? status : status.withFittedReason(status.reason()));
    return onClose();
  }

  /** Closes with a status that a close frame can carry; never fails. */
  private void requestClose(CloseStatus status) {
    if (!receiveCalled) {
      // Nobody reads: read on anyway, or the peer's close frame is never seen.
      inbound.discard();
    }
    on(() -> closing.closeRequested(status));
  }

  @Override
  public Optional<DeflateParameters> compression() {
    return deflate == null ? Optional.empty() : Optional.of(deflate.parameters());
  }

  @Override
  public Optional<CompressionStats> compressionStats() {
    return deflate == null ? Optional.empty() : Optional.of(deflate.stats());
  }

  @Override
  public Mono<CloseStatus> closeStatus() {
    return closed.status();
  }

  @Override
  public void whenEnded(BiConsumer<? super DrivenSession, ? super CloseStatus> ended) {
    closed.whenEnded(Objects.requireNonNull(ended, "ended"));
  }

  @Override
  public ReadyState state() {
    return closing.readyState();
  }

  @Override
  public synchronized Flux<ReadyState> states() {
    if (states == null) {
      // A replay of the latest state, from now on: the same as if it had been there all along.
      ReadyState state = closing.readyState();
      states = Sinks.many().replay().latest();
      states.tryEmitNext(state);
      if (state == ReadyState.CLOSED) {
        states.tryEmitComplete();
      }
    }
    return states.asFlux();
  }

  @Override
  public Mono<Void> onClose() {
    return closed.done();
  }

  @Override
  public HandshakeInfo handshake() {
    return handshake;
  }

  @Override
  public SocketAddress remoteAddress() {
    return transport.remoteAddress();
  }

  @Override
  public Map<String, Object> attributes() {
    Map<String, Object> map = attributes;
    if (map == null) {
      synchronized (this) {
        map = attributes;
        if (map == null) {
          map = new ConcurrentHashMap<>();
          attributes = map;
        }
      }
    }
    return map;
  }

  private void sendPing(byte[] payload) {
    outbound.offerControl(Frame.of(Opcode.PING, payload));
  }

  private void onControlFrame(Frame frame) {
    switch (frame.opcode()) {
      case PING -> outbound.offerControl(Frame.of(Opcode.PONG, frame.payloadArray()));
      case CLOSE -> onCloseFrame(frame.payloadArray());
      default -> { } // unsolicited pongs are allowed and mean nothing (section 5.5.3)
    }
  }

  private void onCloseFrame(byte[] body) {
    CloseStatus status;
    try {
      status = ClosePayload.parse(body);
    } catch (WebSocketException e) {
      probe.protocolError(e.status());
      fail(e);
      return;
    }
    on(() -> closing.closeFrameReceived(status));
  }

  @Override
  public Throwable endOfMessages() {
    return closing.endOfMessages();
  }

  @Override
  public void onInboundError(Throwable t) {
    if (t instanceof WebSocketException e) {
      int code = e.status().code();
      if (isKeepAliveTimeout(e)) {
        probe.keepAliveTimedOut();
      } else if (CloseStatus.isValidOnWire(code) && code != CloseStatus.INTERNAL_ERROR.code()) {
        probe.protocolError(e.status()); // 1011 here is our failure (no memory), not the peer's
      }
      fail(e);
    } else {
      CloseStatus broken =
          CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(), String.valueOf(t));
      on(() -> closing.inputBroken(broken));
    }
  }

  private static boolean isKeepAliveTimeout(WebSocketException e) {
    return e.status().code() == CloseStatus.INTERNAL_ERROR.code()
        && KeepAlive.TIMEOUT_REASON.equals(e.status().reason());
  }

  /**
   * A frame could not be made (no memory for its buffer, most likely): the session fails with
   * 1011 and says why, since going on would leave the peer a message short without knowing.
   * Nothing to do once the close has begun: a close racing a write is not news.
   */
  private void sendFailed(Throwable cause) {
    if (closing.isOpen()) {
      CloseStatus status =
          WebSocketException.internalError("could not send a message", cause).status();
      on(() -> closing.failed(status));
    }
  }

  /** Fails the connection (section 7.1.7): close frame with the error's code, no more data. */
  private void fail(WebSocketException e) {
    CloseStatus status = e.status();
    // A status that names its reason keeps it; else the message says what broke.
    CloseStatus described = status.reason().isEmpty()
        ? CloseStatus.describing(status.code(), String.valueOf(e.getMessage())) : status;
    if (CloseStatus.isValidOnWire(status.code())) {
      on(() -> closing.failed(described));
    } else {
      // The stream ended early: there is nothing to send.
      on(() -> closing.inputBroken(described));
    }
  }

  /** The peer ended its stream: nothing more will come. */
  private void onInputEnded() {
    on(closing::inputEnded);
  }

  /**
   * The connection closed. If someone reads the messages, what was read before the close may
   * still hold the peer's close frame: the status waits for it (see {@link CloseHandshake}).
   */
  private void onTransportClosed() {
    boolean willBeRead = receiveCalled || inbound.discards();
    on(() -> closing.connectionClosed(willBeRead));
  }

  @Override
  public void inputHandled() {
    on(closing::inputHandled);
  }

  /**
   * Tells the close handshake of an event and does what it answers. The event and the states it
   * moves through are serialized by the lock; the I/O happens after it.
   */
  private void on(Supplier<Actions> event) {
    Actions actions;
    Sinks.Many<ReadyState> statesSink;
    Disposable handler = null;
    synchronized (this) {
      ReadyState before = closing.readyState();
      actions = event.get();
      ReadyState after = closing.readyState();
      statesSink = states;
      if (after != before && statesSink != null) {
        statesSink.tryEmitNext(after);
      }
      if (actions.end() != null) {
        handler = running;
        running = null;
        if (closeTimer != null) {
          closeTimer.dispose();
        }
      } else if ((actions.sendClose() != null || actions.awaitInput()) && closeTimer == null) {
        startCloseTimer();
      }
    }
    if (actions.sendClose() != null) {
      outbound.closeBegun();
    }
    if (actions.halfClose()) {
      transport.shutdownOutput();
    }
    if (actions.closeConnection()) {
      transport.close();
    }
    if (actions.end() != null) {
      end(actions.end(), statesSink, handler);
    }
  }

  /**
   * Bounds the wait for the peer's close frame and end of stream, or for the reading of what came
   * before the connection closed. Call with the lock held.
   */
  private void startCloseTimer() {
    long nanos = options.closeTimeout().toNanos();
    closeTimer = options.scheduler().schedule(this::closeTimerFired, nanos, TimeUnit.NANOSECONDS);
  }

  private void closeTimerFired() {
    synchronized (this) {
      closeTimer = null; // once fired before the connection closed, a wait after needs another
    }
    on(closing::closeTimedOut);
  }

  private void end(CloseStatus status, Sinks.Many<ReadyState> statesSink, Disposable handler) {
    if (idle != null) {
      idle.stop();
    }
    outbound.terminate();
    if (deflate != null) {
      deflate.release(); // zlib memory is native: freed now, not by the GC
    }
    // Messages nobody subscribed to are dropped now: their buffers go back to the pool.
    inbound.dropUnread(status);
    // The one place every session ends, once: gauges counted from "opened" come back here.
    if (probe != SessionProbe.NONE) {
      probe.ended(this, status, closing.initiator(), System.nanoTime() - openedAt);
    }
    closed.complete(status);
    if (statesSink != null) {
      statesSink.tryEmitComplete();
    }
    if (handler != null) {
      handler.dispose();
    }
  }

  /** Runs the handler's publisher: its end closes the session; disposing it cancels it. */
  private final class Handling implements CoreSubscriber<Void>, Disposable {
    private volatile Subscription upstream;

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.setOnce(UPSTREAM, this, s)) {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(Void unused) {}

    @Override
    public void onError(Throwable t) {
      failHandler(t);
    }

    @Override
    public void onComplete() {
      discardUnlessReceiving();
      requestClose(CloseStatus.NORMAL);
    }

    @Override
    public void dispose() {
      Operators.terminate(UPSTREAM, this);
    }

    @Override
    public boolean isDisposed() {
      return upstream == Operators.cancelledSubscription();
    }
  }

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<Handling, Subscription> UPSTREAM =
      AtomicReferenceFieldUpdater.newUpdater(Handling.class, Subscription.class, "upstream");

  /** Hears how the outbound stream ended: flushed, or broken. */
  private final class OutboundEnd implements CoreSubscriber<Void> {
    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Void unused) {}

    @Override
    public void onError(Throwable t) {
      on(closing::outputBroken);
    }

    @Override
    public void onComplete() {
      on(closing::closeFrameFlushed);
    }
  }

  @Override
  public String toString() {
    return "WebSocketSession[" + id + " " + role + " " + handshake.path() + " " + state() + "]";
  }
}

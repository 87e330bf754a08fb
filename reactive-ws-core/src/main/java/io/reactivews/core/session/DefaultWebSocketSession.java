package io.reactivews.core.session;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.ClosePayload;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.message.Message;
import io.reactivews.core.message.MessageAssembler;
import io.reactivews.core.transport.Lingering;
import io.reactivews.core.transport.Transport;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;
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
 * <p>Closing: whoever closes first sends a close frame and stops sending; the other answers with
 * its own and stops. When both were exchanged (or we failed the connection) a server half-closes
 * TCP, and both sides wait for the peer's end of stream, bounded by the close timeout, before
 * closing the socket: closing with unread input would send a reset that can destroy the close
 * frame in flight.
 *
 * <p>Thread-safe; close-handshake state is guarded by this object's lock.
 */
final class DefaultWebSocketSession implements DrivenSession {

  static {
    Sessions.register(DefaultWebSocketSession::open);
  }

  private static final AtomicLong IDS = new AtomicLong();

  private final String id = Long.toString(IDS.incrementAndGet());
  private final Transport transport;
  private final Role role;
  private final SessionOptions options;
  private final HandshakeInfo handshake;
  private static final CloseStatus IDLE = CloseStatus.of(1001, "idle timeout");
  private static final FrameEncoder SERVER_FRAMES = FrameEncoder.forRole(Role.SERVER);
  private static final Runnable NOTHING = () -> { };

  private final IdleTimer idle;
  private final OutboundQueue outbound;
  private final InboundBridge inbound;
  private final CloseSignal closed = new CloseSignal();
  // Made on first use: most sessions never need them. Guarded by "this".
  private volatile Map<String, Object> attributes;
  private Sinks.Many<ReadyState> states;
  /** The running handler, disposed when the connection closes. */
  private Disposable running;

  private volatile ReadyState state = ReadyState.CONNECTING;
  private volatile boolean receiveCalled;

  // The close handshake; guarded by "this".
  private boolean closeSent;
  private CloseStatus received;
  private CloseStatus failure;
  private boolean outboundFlushed;
  private boolean outputShut;
  private boolean timedOut;
  private Disposable closeTimer;

  private DefaultWebSocketSession(
      Transport transport, Role role, SessionOptions options, HandshakeInfo handshake) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.role = Objects.requireNonNull(role, "role");
    this.options = Objects.requireNonNull(options, "options");
    this.handshake = Objects.requireNonNull(handshake, "handshake");
    this.idle = options.idleTimeout().isZero() ? null : new IdleTimer(options.scheduler(),
        options.idleTimeout(), () -> close(IDLE).subscribe());
    // A server's encoder holds nothing of its own: all sessions share one.
    this.outbound = new OutboundQueue(
        role == Role.SERVER ? SERVER_FRAMES : FrameEncoder.forRole(role), transport.alloc(),
        options, idle == null ? NOTHING : this::touch);
    this.inbound = new InboundBridge(
        this::onInboundError, idle == null ? null : this::touch, this::endOfMessages);
  }

  /**
   * A session over a transport whose handshake is done; it starts reading and writing at once.
   */
  public static DefaultWebSocketSession open(
      Transport transport, Role role, SessionOptions options, HandshakeInfo handshake) {
    DefaultWebSocketSession session =
        new DefaultWebSocketSession(transport, role, options, handshake);
    session.start();
    return session;
  }

  private void start() {
    setState(ReadyState.OPEN);
    transport.whenClosed(this::onTransportClosed);
    // Keepalive watches reads, not frames: one clock read per read, however many frames it has.
    Lingering.read(transport.receive(), this::onInputEnded)
        .transform(options.keepAlive().pinging(this::sendPing))
        .transform(FrameDecoder.forRole(role).maxFrameSize(options.maxFrameSize()))
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
    Mono.from(body).subscribe(handling);
    // The session disposes it at the close, whether or not the caller waits for that.
    boolean closedAlready;
    synchronized (this) {
      closedAlready = state == ReadyState.CLOSED;
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
    if (t instanceof WebSocketException && state != ReadyState.OPEN) {
      return; // the session failed first and the handler saw it
    }
    String reason = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    close(CloseStatus.INTERNAL_ERROR.withReason(reason)).subscribe();
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
  public Sinks.EmitResult tryEmit(Message message) {
    return outbound.tryEmit(Objects.requireNonNull(message, "message"));
  }

  @Override
  public int queuedMessages() {
    return outbound.queuedMessages();
  }

  @Override
  public Mono<Void> close(CloseStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isSendable()) {
      return Mono.error(
          new IllegalArgumentException("close code " + status.code() + " may not be sent"));
    }
    if (!receiveCalled) {
      // Nobody reads: read on anyway, or the peer's close frame is never seen.
      inbound.discard();
    }
    synchronized (this) {
      if (state == ReadyState.OPEN) {
        sendClose(status, false, status);
      }
    }
    return onClose();
  }

  @Override
  public Mono<CloseStatus> closeStatus() {
    return closed.status();
  }

  @Override
  public ReadyState state() {
    return state;
  }

  @Override
  public synchronized Flux<ReadyState> states() {
    if (states == null) {
      // A replay of the latest state, from now on: the same as if it had been there all along.
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
      fail(e);
      return;
    }
    synchronized (this) {
      received = status;
      // Echo the code, as section 5.5.1 suggests; no code received, none echoed.
      CloseStatus echo = status.code() == CloseStatus.NO_STATUS_RECEIVED.code()
          ? status : CloseStatus.describing(status.code(), "");
      sendClose(echo, false, status);
      progress();
    }
  }

  private void onInboundError(Throwable t) {
    if (t instanceof WebSocketException e) {
      fail(e);
    } else {
      synchronized (this) {
        if (failure == null) {
          failure = CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(), String.valueOf(t));
        }
      }
      transport.close();
    }
  }

  /**
   * Sends our close frame, once: stops new messages, sends the queued ones first unless {@code
   * discardQueued}, and starts the close timer. Call with the lock held.
   */
  private void sendClose(CloseStatus wire, boolean discardQueued, CloseStatus status) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    setState(ReadyState.CLOSING);
    outbound.close(closeFrame(wire), discardQueued, status);
    startCloseTimer();
  }

  /**
   * Messages end cleanly only with a valid close frame; else the application hears why.
   *
   * @return null for a clean end, else the error to end with
   */
  private synchronized Throwable endOfMessages() {
    if (received != null) {
      return null;
    }
    if (failure != null) {
      return new WebSocketException(failure, failure.reason());
    }
    return new WebSocketException(
        CloseStatus.ABNORMAL_CLOSURE, "connection closed without a close frame");
  }

  /** Fails the connection (section 7.1.7): close frame with the error's code, no more data. */
  private void fail(WebSocketException e) {
    CloseStatus status = e.status();
    // A status that names its reason keeps it; else the message says what broke.
    CloseStatus described = status.reason().isEmpty()
        ? CloseStatus.describing(status.code(), String.valueOf(e.getMessage())) : status;
    synchronized (this) {
      if (!CloseStatus.isValidOnWire(status.code())) {
        // The stream ended early: nothing to send. After our own timeout it is no news.
        if (failure == null && received == null && !timedOut) {
          failure = described;
        }
        transport.close();
        return;
      }
      if (failure == null && received == null) {
        failure = described;
      }
      sendClose(described, true, described);
      progress();
    }
  }

  private void onOutboundFlushed() {
    synchronized (this) {
      outboundFlushed = true;
      progress();
    }
  }

  /** Once both close frames are exchanged, or we failed: a server sends its FIN. */
  private void progress() {
    if (outboundFlushed && !outputShut && (received != null || failure != null)) {
      outputShut = true;
      if (role == Role.SERVER) {
        transport.shutdownOutput();
      }
    }
  }

  /** The peer ended its stream: nothing more will come, so close now. */
  private void onInputEnded() {
    transport.close();
  }

  private void startCloseTimer() {
    long nanos = options.closeTimeout().toNanos();
    closeTimer = options.scheduler().schedule(() -> {
      synchronized (this) {
        timedOut = true;
      }
      transport.close();
    }, nanos, TimeUnit.NANOSECONDS);
  }

  private void onTransportClosed() {
    CloseStatus status;
    Sinks.Many<ReadyState> statesSink;
    Disposable handler;
    synchronized (this) {
      if (state == ReadyState.CLOSED) {
        return;
      }
      if (closeTimer != null) {
        closeTimer.dispose();
      }
      if (idle != null) {
        idle.stop();
      }
      if (failure != null) {
        status = failure;
      } else if (received != null) {
        status = received;
      } else if (timedOut) {
        status = CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(),
            "no close frame from the peer within " + options.closeTimeout().toMillis() + " ms");
      } else {
        status = CloseStatus.describing(CloseStatus.ABNORMAL_CLOSURE.code(),
            "connection closed without a close frame");
      }
      setState(ReadyState.CLOSED);
      statesSink = states;
      handler = running;
      running = null;
    }
    outbound.terminate(status);
    closed.complete(status);
    if (statesSink != null) {
      statesSink.tryEmitComplete();
    }
    if (handler != null) {
      handler.dispose();
    }
  }

  private synchronized void setState(ReadyState next) {
    state = next;
    if (states != null) {
      states.tryEmitNext(next);
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
      close(CloseStatus.NORMAL).subscribe();
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
      transport.close();
    }

    @Override
    public void onComplete() {
      onOutboundFlushed();
    }
  }

  private static Frame closeFrame(CloseStatus status) {
    return Frame.of(Opcode.CLOSE, ClosePayload.of(status));
  }

  @Override
  public String toString() {
    return "WebSocketSession[" + id + " " + role + " " + handshake.path() + " " + state + "]";
  }
}

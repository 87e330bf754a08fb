package io.reactivews.client.socketio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.client.metrics.SocketIoMeters;
import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One namespace of a Socket.IO connection, such as {@code /} or {@code /admin}: typed inbound
 * events, emits with and without acknowledgement, and its {@link SocketIoState}. Several
 * sessions share their {@link SocketIoManager}'s one Engine.IO connection.
 *
 * <pre>{@code
 * SocketIoSession admin = client.connect("http://127.0.0.1:3000/admin", Map.of("token", t))
 *     .block();
 * admin.on("kick", Kick.class).subscribe(kick -> log.info("kicked {}", kick.player()));
 * admin.emit("report", new Score("alice", 3)).block();
 * JsonNode reply = admin.emitWithAck("stats").block();   // the server callback's arguments
 * admin.disconnect().block();
 * }</pre>
 *
 * <p><b>Outbound.</b> Emits are lazy (nothing is sent until the {@code Mono} is subscribed) and
 * are written in subscription order. While the namespace is not connected they wait, up to
 * the client's {@code offlineBuffer}, and go out in order once it is; or fail at once with
 * {@code refuseWhileDisconnected()}. Arguments are bound to JSON by Jackson; a {@code byte[]}
 * or {@code ByteBuffer} anywhere in them becomes a binary attachment.
 *
 * <p><b>Inbound.</b> {@link #events()} is hot and shared: events that arrive with no subscriber
 * wait in a small buffer (256) and are dropped past it. Each subscriber of {@link #events()} or
 * {@link #on(String)} has a buffer of its own (4,096 events), so one that
 * falls behind (a slow write in a {@code concatMap}) delays nobody else; one that falls further
 * behind fails alone with an overflow error. It completes when the session is disconnected by
 * the application and fails when the connection ends for good with an error.
 *
 * <p>Thread-safe.
 */
public final class SocketIoSession {

  /** Events a subscriber may fall behind by before it alone fails. */
  static final int SUBSCRIBER_BUFFER = 4096;

  private final SocketIoManager manager;
  private final String namespace;
  private final JsonNode auth;
  private final Sinks.Many<SocketIoEvent> events =
      Sinks.many().multicast().onBackpressureBuffer(256, false);
  private final Sinks.Many<SocketIoState> states = Sinks.many().replay().latest();
  private final Map<Long, Sinks.One<JsonNode>> acks = new ConcurrentHashMap<>();
  /** Acks whose event went out on a connection: lost with it, as Socket.IO's own client says. */
  private final Set<Long> written = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextAckId = new AtomicLong();

  // Guarded by "this".
  private SocketIoState state = SocketIoState.CONNECTING;
  private String id;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** An emit waiting for the namespace to connect. */
  private record Pending(List<Message> frames, Sinks.Empty<Void> done) {}

  SocketIoSession(SocketIoManager manager, String namespace, JsonNode auth) {
    this.manager = manager;
    this.namespace = namespace;
    this.auth = auth;
    states.tryEmitNext(state);
  }

  /** The namespace, such as {@code /admin}. */
  public String namespace() {
    return namespace;
  }

  /** The id the server gave this namespace on its latest connect, or null before. */
  public synchronized String id() {
    return id;
  }

  public synchronized SocketIoState state() {
    return state;
  }

  /** The current state, then each change; completes when disconnected by the application. */
  public Flux<SocketIoState> states() {
    return states.asFlux();
  }

  public boolean isConnected() {
    return state().isConnected();
  }

  /** The connection this namespace is multiplexed on. */
  public SocketIoManager manager() {
    return manager;
  }

  /** Every event of this namespace. */
  public Flux<SocketIoEvent> events() {
    return ownBuffer(events.asFlux());
  }

  /** The events named {@code event}. */
  public Flux<SocketIoEvent> on(String event) {
    Objects.requireNonNull(event, "event");
    return ownBuffer(events.asFlux().filter(e -> e.name().equals(event)));
  }

  /**
   * A subscriber's own buffer: without it the shared sink goes at the slowest subscriber's pace
   * and, once its buffer is full, drops every subscriber's events without a word.
   */
  private static Flux<SocketIoEvent> ownBuffer(Flux<SocketIoEvent> shared) {
    return shared.onBackpressureBuffer(SUBSCRIBER_BUFFER); // past it, an overflow error
  }

  /** The first argument of each {@code event}, bound to {@code type}. */
  public <T> Flux<T> on(String event, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return on(event).map(e -> e.arg(0, type));
  }

  /** The first argument of each {@code event}, bound to a generic type. */
  public <T> Flux<T> on(String event, TypeReference<T> type) {
    Objects.requireNonNull(type, "type");
    return on(event).map(e -> e.arg(0, type));
  }

  /** Emits {@code event}; completes when handed to the network. */
  public Mono<Void> emit(String event, Object... args) {
    return Mono.defer(() -> send(manager.packet(SocketIoPacket.Type.EVENT, namespace,
        SocketIoPacket.NO_ACK, manager.eventArgs(event, args))));
  }

  /**
   * Emits {@code event} asking for an acknowledgement; gives the arguments the server's callback
   * replied with, as a JSON array. Fails with a {@link SocketIoException} when no reply comes
   * within the client's {@code ackTimeout} (counted from subscription, waits included), or at
   * once when the connection its event went out on is lost, as Socket.IO's own client does.
   */
  public Mono<JsonNode> emitWithAck(String event, Object... args) {
    Duration timeout = manager.ackTimeout();
    return Mono.defer(() -> {
      long ackId = nextAckId.getAndIncrement();
      Sinks.One<JsonNode> reply = Sinks.one();
      acks.put(ackId, reply);
      // Deferred: an argument that cannot be written fails the Mono below, whose end forgets
      // the ack, rather than throwing past it.
      Mono<JsonNode> acked = Mono.defer(() -> send(manager.packet(SocketIoPacket.Type.EVENT,
              namespace, ackId, manager.eventArgs(event, args))))
          .then(Mono.fromRunnable(() -> written.add(ackId)))
          .then(reply.asMono());
      // Meters only if the client has them: no Micrometer type is touched otherwise.
      SocketIoMeters meters = manager.meters();
      if (meters != null) {
        acked = meters.timed(acked);
      }
      return acked
          .timeout(timeout, Mono.error(() -> {
            if (manager.meters() != null) {
              manager.meters().ackTimedOut();
            }
            return new SocketIoException("no ack for '" + event + "' on " + namespace
                + " within " + timeout.toMillis() + " ms");
          }))
          .doFinally(signal -> {
            acks.remove(ackId);
            written.remove(ackId);
          });
    });
  }

  /** As {@link #emitWithAck(String, Object...)}, binding the reply's first argument. */
  public <T> Mono<T> emitWithAck(Class<T> type, String event, Object... args) {
    Objects.requireNonNull(type, "type");
    return emitWithAck(event, args).map(reply -> mapper().convertValue(reply.path(0), type));
  }

  /**
   * Leaves the namespace: sends DISCONNECT if connected, fails waiting emits and acks, completes
   * {@link #events()}; the last namespace to leave closes the connection. Completes when done.
   */
  public Mono<Void> disconnect() {
    return Mono.defer(() -> {
      boolean wasConnected;
      synchronized (this) {
        if (state.phase() == SocketIoState.Phase.CLOSED && !manager.isParked(this)) {
          return Mono.empty();
        }
        wasConnected = state.isConnected();
        closeLocked(null);
      }
      Mono<Void> goodbye = wasConnected
          ? manager.write(manager.encode(SocketIoPacket.of(SocketIoPacket.Type.DISCONNECT,
              namespace, null))).onErrorResume(e -> Mono.empty())
          : Mono.empty();
      return goodbye.then(Mono.defer(() -> manager.remove(this)));
    });
  }

  /**
   * After the server disconnected this namespace (final until asked), connects it again with
   * the same {@code auth}. Completes once connected.
   */
  public Mono<SocketIoSession> reconnect() {
    return Mono.defer(() -> {
      synchronized (this) {
        if (state.phase() != SocketIoState.Phase.CLOSED || !manager.isParked(this)) {
          return Mono.error(new IllegalStateException(
              "only a namespace the server disconnected can be reconnected; it is " + state));
        }
        setState(SocketIoState.CONNECTING);
      }
      manager.connectIfReady(this);
      return awaitConnected();
    });
  }

  @Override
  public String toString() {
    return "SocketIoSession[" + namespace + " " + state() + "]";
  }

  // ---- called by the manager and events ----

  ObjectMapper mapper() {
    return manager.mapper();
  }

  JsonNode auth() {
    return auth;
  }

  Mono<SocketIoSession> awaitConnected() {
    return states()
        .filter(s -> s.phase() == SocketIoState.Phase.CONNECTED
            || s.phase() == SocketIoState.Phase.CLOSED)
        .next()
        .flatMap(s -> s.isConnected() ? Mono.just(this) : Mono.error(s.cause() != null
            ? s.cause() : new SocketIoException(namespace + " was disconnected")));
  }

  Mono<Void> sendAck(long ackId, Object... args) {
    return Mono.defer(() -> send(manager.packet(SocketIoPacket.Type.ACK, namespace, ackId,
        manager.ackArgs(args))));
  }

  /** Whether a lost connection's reconnection should connect this namespace again. */
  synchronized boolean wantsConnection() {
    return state.phase() == SocketIoState.Phase.CONNECTING
        || state.phase() == SocketIoState.Phase.DISCONNECTED;
  }

  void onPacket(SocketIoPacket packet) {
    switch (packet.type()) {
      case CONNECT -> onConnect(packet.data());
      case CONNECT_ERROR -> onConnectError(packet.data());
      case DISCONNECT -> onServerDisconnect();
      case EVENT, BINARY_EVENT -> onEvent(packet);
      case ACK, BINARY_ACK -> {
        Sinks.One<JsonNode> reply = acks.remove(packet.ackId());
        if (reply != null) { // else it came after its timeout
          reply.tryEmitValue(packet.data());
        }
      }
      default -> throw new IllegalStateException("unexpected " + packet.type());
    }
  }

  void onConnectionLost(Throwable cause) {
    synchronized (this) {
      if (state.phase() == SocketIoState.Phase.CONNECTED) {
        setState(new SocketIoState(SocketIoState.Phase.DISCONNECTED, cause));
      }
    }
    // The server that would have answered these is gone: fail them now rather than at their
    // timeout. Emits still waiting to be written keep their acks and go out on the next one.
    for (Long ackId : written) {
      written.remove(ackId);
      Sinks.One<JsonNode> reply = acks.remove(ackId);
      if (reply != null) {
        reply.tryEmitError(new SocketIoException(
            "the connection was lost before the ack came on " + namespace, cause));
      }
    }
  }

  /** The connection ended for good: with {@code cause}, or normally when null. */
  void terminate(Throwable cause) {
    synchronized (this) {
      if (state.phase() == SocketIoState.Phase.CLOSED && cause == null) {
        return;
      }
      closeLocked(cause);
    }
  }

  private void onConnect(JsonNode data) {
    if (data == null || !data.path("sid").isTextual()) {
      throw new SocketIoProtocolException("CONNECT for " + namespace + " without a sid: " + data);
    }
    synchronized (this) {
      if (state.phase() == SocketIoState.Phase.CLOSED) {
        return; // we left meanwhile; the server will get our DISCONNECT
      }
      id = data.path("sid").asText();
      setState(SocketIoState.CONNECTED);
      for (Pending waiting; (waiting = pending.poll()) != null; ) {
        Sinks.Empty<Void> done = waiting.done();
        manager.write(waiting.frames())
            .subscribe(null, done::tryEmitError, done::tryEmitEmpty);
      }
    }
  }

  private void onConnectError(JsonNode data) {
    String message = data.isTextual() ? data.asText() : data.path("message").asText("refused");
    JsonNode details = data.isObject() ? data.get("data") : null;
    synchronized (this) {
      closeLocked(new SocketIoConnectException(namespace, message, details));
    }
    manager.remove(this).subscribe();
  }

  private void onServerDisconnect() {
    synchronized (this) {
      SocketIoException cause = new SocketIoException("io server disconnect");
      failWaiting(cause);
      setState(new SocketIoState(SocketIoState.Phase.CLOSED, cause));
    }
  }

  private void onEvent(SocketIoPacket packet) {
    JsonNode data = packet.data();
    List<JsonNode> args = new ArrayList<>(data.size() - 1);
    for (int i = 1; i < data.size(); i++) {
      args.add(data.get(i));
    }
    SocketIoEvent event = new SocketIoEvent(this, data.get(0).asText(), args, packet.ackId());
    synchronized (this) { // serialises emissions with the terminal signal
      events.tryEmitNext(event);
    }
  }

  /** Sends now if connected, else waits in order or is refused. */
  private Mono<Void> send(SocketIoPacket packet) {
    List<Message> frames = manager.encode(packet);
    synchronized (this) {
      switch (state.phase()) {
        case CONNECTED:
          return manager.write(frames); // under the lock, so emits keep their order
        case CLOSED:
          return Mono.error(new SocketIoException(namespace + " is closed", state.cause()));
        default:
          if (manager.refusesWhileDisconnected()) {
            return Mono.error(new SocketIoException(namespace + " is not connected (" + state
                + ") and the client refuses emits while disconnected"));
          }
          if (pending.size() >= manager.offlineBuffer()) {
            return Mono.error(new SocketIoException(namespace + " is not connected and "
                + pending.size() + " emits already wait, the offline buffer's limit"));
          }
          Pending waiting = new Pending(frames, Sinks.empty());
          pending.add(waiting);
          // An emit given up on (timed out, cancelled) is not sent later: a retry would be a
          // second copy, and it no longer takes a place in the buffer.
          return waiting.done().asMono().doOnCancel(() -> {
            synchronized (this) {
              pending.remove(waiting);
            }
          });
      }
    }
  }

  private void closeLocked(Throwable cause) {
    SocketIoException failure = cause instanceof SocketIoException known ? known
        : new SocketIoException(namespace + " was disconnected", cause);
    failWaiting(failure);
    setState(new SocketIoState(SocketIoState.Phase.CLOSED, cause));
    if (cause == null) {
      events.tryEmitComplete();
    } else {
      events.tryEmitError(cause);
    }
    states.tryEmitComplete();
  }

  private void failWaiting(SocketIoException cause) {
    for (Pending waiting; (waiting = pending.poll()) != null; ) {
      waiting.done().tryEmitError(cause);
    }
    acks.values().forEach(reply -> reply.tryEmitError(cause));
    acks.clear();
  }

  private void setState(SocketIoState next) {
    state = next;
    states.tryEmitNext(next);
  }
}
